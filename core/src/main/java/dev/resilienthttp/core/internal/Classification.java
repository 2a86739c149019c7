package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;

import java.util.Objects;

/**
 * What a transport failure was, and whether the server may have acted on the request.
 *
 * @param kind    the failure kind
 * @param outcome whether the server may have acted on the request
 * @param cause   the most specific exception of the chain, the one a person should read
 * @param message what a person should read of it: its message, or words for what the JDK left unsaid
 */
public record Classification(FailureKind kind, Outcome outcome, Throwable cause, String message) {
    /** Checks the fields. */
    public Classification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
    }

    /** A classification whose message is the cause's own, as {@link Redaction#exceptionMessage} lets it through. */
    public Classification(FailureKind kind, Outcome outcome, Throwable cause) {
        this(kind, outcome, cause, Redaction.exceptionMessage(cause, Integer.MAX_VALUE));
    }
}
