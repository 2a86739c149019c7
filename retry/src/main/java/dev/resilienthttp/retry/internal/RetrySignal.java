package dev.resilienthttp.retry.internal;

import java.time.Duration;

/**
 * Tells the retry loop that the decision was "retry after this wait": the policy's own loop for {@code send}, and
 * resilience4j's {@code Retry} for {@code sendAsync}, where it is the only exception retried on and carries the
 * wait to the interval function. No stack trace: it is control flow, not an error.
 */
public final class RetrySignal extends Exception {
    private static final long serialVersionUID = 1L;

    private final long delayMillis;

    RetrySignal(Duration delay) {
        super("retry after " + delay, null, false, false);
        long millis = delay.toMillis();
        // Rounded up: a wait is never shorter than asked (a Retry-After in particular).
        this.delayMillis = delay.minusMillis(millis).isZero() ? millis : millis + 1;
    }

    /** The wait before the next attempt, in milliseconds as resilience4j wants it, rounded up. */
    public long delayMillis() {
        return delayMillis;
    }
}
