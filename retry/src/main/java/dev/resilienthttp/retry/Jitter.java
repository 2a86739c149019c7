package dev.resilienthttp.retry;

/**
 * How a backoff delay is randomised, so that a fleet of clients that failed together does not retry together
 * (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 */
public enum Jitter {
    /** Uniform in [0, min(cap, base &times; multiplier^(retry &minus; 1))): the AWS recommendation. */
    FULL,
    /** Uniform in [base, previous delay &times; 3], capped: spreads retries wider once they are long. */
    DECORRELATED
}
