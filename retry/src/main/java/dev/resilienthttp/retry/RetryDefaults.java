package dev.resilienthttp.retry;

import java.time.Duration;

/** The retry module's defaults, in one place, each with the reason for its number. */
final class RetryDefaults {
    /** The API operators asked for more retries than the incident's 2; 5 retries reach 8 s of backoff. */
    static final int MAX_ATTEMPTS = 6;

    /** AWS SDK and Polly practice: short enough that one lost packet costs little. */
    static final Duration BASE = Duration.ofMillis(250);

    /** Doubling: exponential backoff as the operators asked. */
    static final double MULTIPLIER = 2.0;

    /** One step never waits longer than this (AWS SDK: 20 s; Polly: 30 s). */
    static final Duration CAP = Duration.ofSeconds(30);

    /**
     * The longest Retry-After honoured. go-retryablehttp and Polly users were parked for hours by servers asking
     * for more; beyond this the call fails with a reason that names the cap.
     */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(120);

    /** Bounds a call, waits included, whatever the server says. */
    static final Duration DEADLINE = Duration.ofMinutes(5);

    /** A few 403s mean a resource is gone: retry once, then stop (the operators: "once or twice at most"). */
    static final int FORBIDDEN_RETRIES = 1;

    private RetryDefaults() {
    }
}
