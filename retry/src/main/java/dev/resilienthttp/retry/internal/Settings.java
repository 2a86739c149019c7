package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.retry.Jitter;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A retry policy's settings, checked and immutable; the public builder makes one.
 *
 * @param maxAttempts        attempts per call, the first included
 * @param base               the first backoff step
 * @param multiplier         the growth of each step
 * @param cap                the longest backoff step
 * @param jitter             how steps are randomised
 * @param maxRetryAfter      the longest {@code Retry-After} honoured; a longer one ends the call
 * @param deadline           the longest a call may take, waits included
 * @param forbiddenRetries   retries allowed after a 403
 * @param retryNonIdempotent whether unsafe requests without a key may be re-sent after they may have been processed
 * @param statusKinds        status codes mapped to a kind other than the standard one
 * @param random             the source of jitter
 */
public record Settings(int maxAttempts, Duration base, double multiplier, Duration cap, Jitter jitter,
                       Duration maxRetryAfter, Duration deadline, int forbiddenRetries, boolean retryNonIdempotent,
                       Map<Integer, FailureKind> statusKinds, Supplier<Random> random) {
    /** Copies the map. */
    public Settings {
        statusKinds = Map.copyOf(statusKinds);
    }
}
