package dev.resilienthttp.fleet.internal;

import dev.resilienthttp.retry.FleetChannel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What the policy tells the fleet, on the thread of the call that found it: made into a signal, kept only if
 * {@link Outbound} says it is news, and queued for the publisher. Nothing here waits.
 */
final class Channel implements FleetChannel {
    private final String instance;
    private final Duration latchExpiry;
    private final Outbound outbound;
    private final ControlPublisher publisher;
    private final Clock clock;

    Channel(String instance, Duration latchExpiry, Outbound outbound, ControlPublisher publisher, Clock clock) {
        this.instance = instance;
        this.latchExpiry = latchExpiry;
        this.outbound = outbound;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void blocked(String host, String reason) {
        if (outbound.blocked(host)) {
            Instant now = clock.instant();
            publisher.offer(new Signal(Signal.What.BLOCKED, host, instance, now, now.plus(latchExpiry), null,
                    reason));
        }
    }

    @Override
    public void held(String host, Instant until) {
        Instant now = clock.instant();
        if (outbound.held(host, until, now)) {
            publisher.offer(new Signal(Signal.What.HOLD, host, instance, now, until, until, "Retry-After"));
        }
    }

    @Override
    public void unblocked(String host) {
        if (outbound.unblocked(host)) {
            Instant now = clock.instant();
            publisher.offer(new Signal(Signal.What.LIFT, host, instance, now, now.plus(latchExpiry), null,
                    "unblocked by hand"));
        }
    }
}
