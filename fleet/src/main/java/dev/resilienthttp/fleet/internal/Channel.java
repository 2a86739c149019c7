package dev.resilienthttp.fleet.internal;

import dev.resilienthttp.retry.FleetChannel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * What the policy tells the fleet, on the thread of the call that found it: made into a signal, kept only if
 * {@link Outbound} says it is news, and left for the publisher. Nothing here waits ({@link #blocked} is told under
 * the latch's lock).
 */
final class Channel implements FleetChannel {
    private final String instance;
    private final String run;
    private final Duration latchExpiry;
    private final Outbound outbound;
    private final ControlPublisher publisher;
    private final Predicate<String> latchedHere;
    private final Clock clock;

    Channel(String instance, String run, Duration latchExpiry, Outbound outbound, ControlPublisher publisher,
            Predicate<String> latchedHere, Clock clock) {
        this.instance = instance;
        this.run = run;
        this.latchExpiry = latchExpiry;
        this.outbound = outbound;
        this.publisher = publisher;
        this.latchedHere = latchedHere;
        this.clock = clock;
    }

    @Override
    public void blocked(String host, String reason) {
        Instant now = clock.instant();
        publish(new Signal(Signal.What.BLOCKED, host, instance, run, now, now.plus(latchExpiry), null, reason));
    }

    @Override
    public void held(String host, Instant until) {
        if (latchedHere.test(host)) {
            return;   // a latched host is sent nothing anyway, and the hold would replace its BLOCKED on the topic
        }
        Instant now = clock.instant();
        if (outbound.held(host, until, now)) {
            publisher.offer(new Signal(Signal.What.HOLD, host, instance, run, now, until, until, "Retry-After"));
        }
    }

    @Override
    public void unblocked(String host) {
        Instant now = clock.instant();
        publish(new Signal(Signal.What.LIFT, host, instance, run, now, now.plus(latchExpiry), null,
                "unblocked by hand"));
    }

    private void publish(Signal signal) {
        outbound.told(signal);
        publisher.offer(signal);
    }
}
