package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;

import java.time.Duration;

/** What the protections say before an attempt: hold, refuse, or go with a {@link Permit}. */
public sealed interface Admission permits Admission.Hold, Permit, Admission.Refuse {

    /**
     * The host is held by a {@code Retry-After}: wait, then ask again.
     *
     * @param delay how long
     */
    record Hold(Duration delay) implements Admission {
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
