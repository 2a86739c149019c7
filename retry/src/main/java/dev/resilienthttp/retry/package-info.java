/**
 * Retry policy and the upstream protections (backoff, {@code Retry-After}, status rules, idempotency,
 * retry budget, 403 latch, circuit breaker, rate limiter) for {@code ResilientHttpClient}.
 *
 * <p>Not built yet: this package holds only its contract. Attempt numbering is core's: attempts are
 * 1-based and retries = attempts &minus; 1.
 */
package dev.resilienthttp.retry;
