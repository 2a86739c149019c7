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
 */
public record Classification(FailureKind kind, Outcome outcome, Throwable cause) {
    /** Checks the fields. */
    public Classification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(cause, "cause");
    }
}
