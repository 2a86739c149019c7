package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything the retry decision looks at about a failed attempt and its call.
 *
 * @param attempt          the 1-based number of the attempt that failed
 * @param kind             why it failed
 * @param outcome          whether the server may have acted on it
 * @param status           its HTTP status, or 0
 * @param retryAfter       its {@code Retry-After} header, or {@code ""}
 * @param method           the request method
 * @param safeToRepeat     idempotent method or {@code Idempotency-Key}
 * @param forbiddenSoFar   403s in this call so far, this one included
 * @param previousDelay    the wait before this attempt ({@link Duration#ZERO} for the first)
 * @param elapsed          time since the call started
 * @param now              the wall-clock time, for {@code Retry-After} dates
 */
public record AttemptFacts(int attempt, FailureKind kind, Outcome outcome, int status, String retryAfter,
                           String method, boolean safeToRepeat, int forbiddenSoFar, Duration previousDelay,
                           Duration elapsed, Instant now) {
}
