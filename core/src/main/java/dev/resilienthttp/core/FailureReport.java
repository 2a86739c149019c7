package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.FailReasons;
import dev.resilienthttp.core.internal.Redaction;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What happened to a call that failed: flat, serializable, free of credentials, bodies and headers, so it
 * can be logged, stored or written to a dead-letter record as it is. Safe by construction: the constructors pass
 * the URI, the detail and every exception message through the library's redaction (no user info, query,
 * fragment, path parameter, token-shaped path segment or e-mail address; one bounded line), whoever builds it.
 *
 * <p>The timeline holds one entry per network attempt, in order, numbered from 1. A call refused by a local
 * protection before its first attempt has an empty timeline and the outcome {@link Outcome#NOT_SENT}.
 */
public final class FailureReport implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Bounds each message and the detail: a reason stays one readable line. */
    static final int MAX_MESSAGE = 300;
    /** Bounds the URI. */
    static final int MAX_URI = 300;

    /**
     * One network attempt of a failed call.
     *
     * @param number           1-based attempt number
     * @param kind             why the attempt failed
     * @param outcome          whether the server may have acted on this attempt
     * @param status           the HTTP status of the response, or 0 when there was none
     * @param exceptionClass   the class of the most specific cause, or {@code ""} for a status failure
     * @param exceptionMessage its message, redacted and bounded, or {@code ""}
     * @param delayBefore      how long the call waited before this attempt ({@link Duration#ZERO} for the first)
     * @param duration         how long the attempt itself took
     */
    public record Attempt(int number, FailureKind kind, Outcome outcome, int status, String exceptionClass,
                          String exceptionMessage, Duration delayBefore, Duration duration) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Checks the fields. */
        public Attempt {
            if (number < 1) {
                throw new IllegalArgumentException("attempt numbers are 1-based, got " + number);
            }
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(exceptionClass, "exceptionClass");
            exceptionMessage = Redaction.text(Objects.requireNonNull(exceptionMessage, "exceptionMessage"),
                    MAX_MESSAGE);
            Objects.requireNonNull(delayBefore, "delayBefore");
            Objects.requireNonNull(duration, "duration");
        }
    }

    private final String method;
    private final String uri;
    private final Instant startedAt;
    private final Duration elapsed;
    /** An array, not a {@code List}: a field's declared type must itself be serializable. */
    private final Attempt[] timeline;
    private final FailureKind kind;
    private final String detail;

    /**
     * @param method    the request method
     * @param uri       the request URI; redacted here (no user info, query, fragment or secret-shaped segment)
     * @param startedAt when the call started, by the client's clock
     * @param elapsed   from the start of the call to its failure, waits included
     * @param timeline  every attempt made, in order
     * @param kind      the kind that ended the call: the last attempt's, or a local protection's
     * @param detail    why the call ended, when that is more than the last attempt says ({@code ""} if not)
     */
    public FailureReport(String method, String uri, Instant startedAt, Duration elapsed, List<Attempt> timeline,
                         FailureKind kind, String detail) {
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Redaction.text(Objects.requireNonNull(uri, "uri"), MAX_URI);
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.timeline = timeline.toArray(Attempt[]::new);
        for (Attempt attempt : this.timeline) {
            Objects.requireNonNull(attempt, "timeline entry");
        }
        this.kind = Objects.requireNonNull(kind, "kind");
        this.detail = Redaction.text(Objects.requireNonNull(detail, "detail"), MAX_MESSAGE);
    }

    /** The request method. */
    public String method() {
        return method;
    }

    /** The request URI without user info, query or fragment. */
    public String uri() {
        return uri;
    }

    /** When the call started, by the client's clock. */
    public Instant startedAt() {
        return startedAt;
    }

    /** From the start of the call to its failure, waits included. */
    public Duration elapsed() {
        return elapsed;
    }

    /** The number of network attempts made (1-based numbering: retries = attempts &minus; 1). */
    public int attempts() {
        return timeline.length;
    }

    /** Every attempt, in order, as an unmodifiable list. */
    public List<Attempt> timeline() {
        return List.of(timeline);
    }

    /** The kind that ended the call. */
    public FailureKind kind() {
        return kind;
    }

    /** Why the call ended, beyond what the last attempt says, or {@code ""}. */
    public String detail() {
        return detail;
    }

    /** Whether the server may have acted on the request: the strongest outcome of any attempt. */
    public Outcome outcome() {
        Outcome outcome = Outcome.NOT_SENT;
        for (Attempt attempt : timeline) {
            outcome = outcome.max(attempt.outcome());
        }
        return outcome;
    }

    /** The HTTP status of the last attempt, or 0 when it had no response. */
    public int lastStatus() {
        return timeline.length == 0 ? 0 : timeline[timeline.length - 1].status();
    }

    /**
     * One line for dead-letter fields and logs, at most {@value FailReasons#MAX_LENGTH} characters, with no
     * credentials, query string, body or header, e.g.
     * {@code CONNECTION_RESET after 6 attempts in 41.2 s: POST https://host/path: java.net.SocketException: Connection reset}.
     */
    public String failReason() {
        return FailReasons.of(this);
    }

    @Override
    public String toString() {
        return failReason();
    }
}
