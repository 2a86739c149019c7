package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.internal.Redaction;
import dev.resilienthttp.kafka.FailureHeaders;

import java.util.Objects;

/**
 * Why one pass of an event failed, flattened for headers and failure fields.
 *
 * @param kind           a {@code FailureKind} name or one of {@code FailureHeaders}' own kinds
 * @param outcome        whether the remote side may have acted on the pass
 * @param attempts       HTTP attempts of the pass, 1-based; 0 when none was made
 * @param exceptionClass the class of the exception that failed the pass
 * @param reason         one line, at most {@value #MAX_REASON} characters
 */
public record Failure(String kind, Outcome outcome, int attempts, String exceptionClass, String reason) {
    /** core's {@code failReason()} bound: the field and header stay small and readable. */
    static final int MAX_REASON = 512;

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(exceptionClass, "exceptionClass");
        reason = Redaction.text(Objects.requireNonNull(reason, "reason"), MAX_REASON);
    }

    /** This failure, its reason prefixed by {@code rule}: the limit that sent the event on. */
    Failure because(String rule) {
        return new Failure(kind, outcome, attempts, exceptionClass, rule + ": " + reason);
    }

    /** An HTTP call that failed: its report says everything. */
    static Failure of(FailureReport report) {
        return new Failure(report.kind().name(), report.outcome(), report.attempts(),
                HttpFailureException.class.getName(), report.failReason());
    }

    /** A handler that threw something else than an HTTP failure: what it did before is unknown. */
    static Failure handlerError(RuntimeException error) {
        return new Failure(FailureHeaders.KIND_HANDLER_ERROR, Outcome.MAYBE_PROCESSED, 0, error.getClass().getName(),
                FailureHeaders.KIND_HANDLER_ERROR + ": " + describe(error));
    }

    /** A record the handler never saw. */
    static Failure badInput(String kind, Exception error, String what) {
        return new Failure(kind, Outcome.NOT_SENT, 0, error.getClass().getName(),
                kind + ": " + what + ": " + describe(error));
    }

    /**
     * The exception's class, and its message as core's redaction lets it through, whatever its package: masked, and
     * any quoted text or JSON in it (which may quote the event) gone.
     */
    private static String describe(Exception error) {
        String message = Redaction.exceptionMessage(error, MAX_REASON);
        return message.isEmpty() ? error.getClass().getName() : error.getClass().getName() + ": " + message;
    }
}
