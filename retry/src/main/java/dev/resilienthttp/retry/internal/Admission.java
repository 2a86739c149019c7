package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;

import java.time.Duration;

/** What the protections say before an attempt. */
public sealed interface Admission {

    /**
     * The host is held by a {@code Retry-After}: wait, then ask again.
     *
     * @param delay how long
     */
    record Hold(Duration delay) implements Admission {
    }

    /**
     * Go after {@code wait} (the rate limiter's reservation; zero without one). The breaker's permission is taken.
     *
     * @param delay how long to wait before the attempt
     */
    record Go(Duration delay) implements Admission {
        /** Go at once: the common case, shared. */
        public static final Go NOW = new Go(Duration.ZERO);
    }

    /**
     * End the call without an attempt.
     *
     * @param kind   why
     * @param detail one line for the report
     */
    record Refuse(FailureKind kind, String detail) implements Admission {
    }
}
