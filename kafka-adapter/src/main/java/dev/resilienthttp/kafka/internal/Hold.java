package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.kafka.ProcessorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Backpressure while a protection of the client refuses calls (an open circuit, a spent retry budget, a
 * {@code Retry-After} hold): the processor stops fetching, keeps the refused records, and after a growing, jittered
 * wait lets the one held longest run again as a probe, until a call succeeds; then every held record runs. One WARN
 * when a hold starts, one INFO when it ends.
 */
final class Hold {
    private static final Logger LOG = LoggerFactory.getLogger(Hold.class);

    private final Backoff backoff;
    private final ProcessorListener listener;
    private volatile boolean active;
    private int round;
    private long nextNanos;

    Hold(Backoff backoff, ProcessorListener listener) {
        this.backoff = backoff;
        this.listener = listener;
    }

    /** Thread-safe. */
    boolean isActive() {
        return active;
    }

    /** A protection refused the call of {@code work}; starts the hold if it is not on. */
    void refused(Work work, String reason) {
        if (active) {
            return;
        }
        active = true;
        round = 0;
        nextNanos = System.nanoTime() + backoff.after(1, Duration.ZERO).toNanos();
        LOG.warn("the client refuses calls before any attempt: fetching stops and the refused records wait in the "
                + "processor, from {}; first try again in {}. {}", work, backoff.after(1, Duration.ZERO), reason);
        listener.held(work.partition, work.offset(), reason);
    }

    /** Whether the held records are due to run again now; if so, the next try is scheduled. */
    boolean due(long nowNanos) {
        if (!active || nowNanos - nextNanos < 0) {
            return false;
        }
        round++;
        nextNanos = nowNanos + backoff.after(round + 1, Duration.ZERO).toNanos();
        return true;
    }

    /** Nanoseconds until the held records run again, or {@code Long.MAX_VALUE} if nothing is held. */
    long nanosToNext(long nowNanos) {
        return active ? Math.max(0, nextNanos - nowNanos) : Long.MAX_VALUE;
    }

    /** A call got through, or nothing is left to try: fetching resumes. */
    void end(String why) {
        if (!active) {
            return;
        }
        active = false;
        LOG.info("hold ended ({}): fetching resumes", why);
        listener.released();
    }
}
