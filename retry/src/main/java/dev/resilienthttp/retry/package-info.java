/**
 * {@link dev.resilienthttp.retry.RetryPolicy}: when and how often a {@code ResilientHttpClient} tries a call again
 * (backoff, {@code Retry-After}, status rules, idempotency, deadline), on resilience4j.
 *
 * <p>Core's contracts hold here too: attempts are 1-based and retries = attempts &minus; 1; times are
 * {@link java.time.Duration}s; nothing is null unless a method says so.
 */
package dev.resilienthttp.retry;
