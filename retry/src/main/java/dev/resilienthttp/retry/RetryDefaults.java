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

    /** "A ton of 403s means you are blocked": 20 in a row cannot be a few deleted resources. */
    static final int LATCH_CONSECUTIVE = 20;

    /** ...nor can 90 % of the last 50 responses, even with a few successes among them. */
    static final double LATCH_RATIO = 0.9;

    /** The window the 403 ratio is taken over. */
    static final int LATCH_WINDOW = 50;

    /** Half the calls failing is an outage, not bad luck (resilience4j's default threshold). */
    static final double BREAKER_FAILURE_RATIO = 0.5;

    /**
     * Enough attempts that unlucky ones do not open the breaker: a reset on a fresh connection counts against the
     * host, and an upstream that resets 30 % of connections (retries absorb it) filled a window of 20 half with
     * failures often enough (P(10 or more of 20) is about 5 % per window) to open the breaker within a few hundred
     * calls and refuse everything for 30 s ({@code ResetStormEndToEndTest}). Over 100 attempts (resilience4j's own
     * default) that chance is about 1 in 100,000, and a real outage still opens it after 100 attempts.
     */
    static final int BREAKER_WINDOW = 100;

    /** Long enough for a restart or a failover, short enough that a recovered host is used again soon. */
    static final Duration BREAKER_OPEN_FOR = Duration.ofSeconds(30);

    /** Probe calls while half-open: one success in three is not yet health. */
    static final int BREAKER_PROBES = 3;

    /** Finagle's RetryBudget: retries may add 20 % to the requests of the last 10 s... */
    static final double BUDGET_RATIO = 0.2;

    /** ...plus 10 retries a second, so that a quiet client can still retry. */
    static final int BUDGET_MIN_PER_SECOND = 10;

    /** Finagle's window. */
    static final Duration BUDGET_TTL = Duration.ofSeconds(10);

    /**
     * The longest window (403 latch, circuit breaker) and the most breaker probes a policy takes: each host gets an
     * array that long, and 10,000 calls is more history than any of these decisions needs.
     */
    static final int MAX_WINDOW = 10_000;

    /** The highest rate limit: at a million attempts a second a limiter limits nothing, and it adds one a success. */
    static final int MAX_RATE_LIMIT = 1_000_000;

    /**
     * The longest retry budget window (Finagle bounds its ttl to 1-60 s): the budget keeps a bucket a second, and
     * scans them all at each retry.
     */
    static final Duration MAX_BUDGET_TTL = Duration.ofSeconds(60);

    /** The shortest time open: resilience4j counts it in milliseconds and refuses less than one. */
    static final Duration MIN_BREAKER_OPEN_FOR = Duration.ofMillis(1);

    /**
     * How late past its time a wait on a scheduler of the user's is looked at again: a scheduler shut down with
     * {@code shutdownNow()} drops its queued waits, and the calls waiting there would never end. Then such a call
     * ends at most this long after its wait was due; one look a wait on the shared timer, dropped when the wait ends.
     */
    static final Duration LATE_WAIT_CHECK = Duration.ofSeconds(1);

    /**
     * A host unused this long is forgotten: its breaker, limiter and 403 history, never a BLOCKED latch or a hold in
     * force. Twice the 5-min deadline, so no call's host is forgotten between its own attempts; a tenant quiet for
     * longer has nothing recent to remember, and its open breaker would have let probes through after 30 s anyway.
     */
    static final Duration HOST_IDLE_EXPIRY = Duration.ofMinutes(10);

    /**
     * Hosts kept before those unused for a minute whose state holds nothing (a closed breaker with no failure, a full
     * rate, no 403) go, least used first; past twice as many, those with only failures in a closed breaker's window go
     * too. Far more than the APIs a service names; at some 5.5 KB a host (measured on JDK 17, most of it the breaker's
     * window of 100 calls) about 110 MB at twice the cap, plus the hosts called within the last minute and those whose
     * breaker is open or whose latch is BLOCKED, which are kept until idle.
     */
    static final int MAX_HOSTS = 10_000;

    /**
     * How often a call looks for idle hosts: a pass over at most {@value #MAX_HOSTS} hosts a minute costs well under
     * a millisecond, and a host is gone at most a tenth of the idle time late.
     */
    static final Duration HOST_SWEEP_EVERY = Duration.ofMinutes(1);

    /** Metric {@code host} tags when no host is named: enough for the APIs one service calls, few enough to chart. */
    static final int METRIC_HOSTS = 50;

    /**
     * Metric {@code uri} tags a template function may make before the rest are {@code other}: a function that
     * returns raw paths by mistake then makes 100 timers, not one per article.
     */
    static final int METRIC_URIS = 100;

    private RetryDefaults() {
    }
}
