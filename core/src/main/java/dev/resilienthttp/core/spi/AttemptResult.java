package dev.resilienthttp.core.spi;

import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.FailureKind;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * The classified result of one network attempt: a success, or a failure of some {@link FailureKind} with the
 * response (for a status failure) or the exception (for a transport failure) that caused it.
 *
 * @param <T> the response body type
 */
public final class AttemptResult<T> {

    private final int number;
    private final HttpResponse<T> response;
    private final IOException exception;
    private final FailureKind kind;
    private final Outcome outcome;
    private final int requestsSent;
    private final String errorBodyPrefix;

    private AttemptResult(int number, HttpResponse<T> response, IOException exception, FailureKind kind,
                          Outcome outcome, int requestsSent, String errorBodyPrefix) {
        this.number = number;
        this.response = response;
        this.exception = exception;
        this.kind = kind;
        this.outcome = outcome;
        this.requestsSent = requestsSent;
        this.errorBodyPrefix = errorBodyPrefix;
    }

    /** An attempt whose response the policy calls a success. */
    public static <T> AttemptResult<T> success(int number, HttpResponse<T> response) {
        return new AttemptResult<>(number, Objects.requireNonNull(response, "response"), null, null,
                Outcome.PROCESSED, 1, "");
    }

    /** An attempt that got a response the policy calls a failure of {@code kind}, with no body kept. */
    public static <T> AttemptResult<T> failedResponse(int number, HttpResponse<T> response, FailureKind kind) {
        return failedResponse(number, response, kind, "");
    }

    /**
     * An attempt that got a response the policy calls a failure of {@code kind}.
     *
     * @param errorBodyPrefix the start of its body, as text ({@link #errorBodyPrefix()})
     */
    public static <T> AttemptResult<T> failedResponse(int number, HttpResponse<T> response, FailureKind kind,
                                                      String errorBodyPrefix) {
        return new AttemptResult<>(number, Objects.requireNonNull(response, "response"), null,
                Objects.requireNonNull(kind, "kind"), Outcome.PROCESSED, 1,
                Objects.requireNonNull(errorBodyPrefix, "errorBodyPrefix"));
    }

    /**
     * An attempt that failed in transport.
     *
     * @param requestsSent how many times the JDK put the request on the wire within this attempt: 2 when it re-sent
     *                     a GET or HEAD itself before failing, 1 otherwise
     */
    public static <T> AttemptResult<T> failedTransport(int number, IOException exception, FailureKind kind,
                                                       Outcome outcome, int requestsSent) {
        return new AttemptResult<>(number, null, Objects.requireNonNull(exception, "exception"),
                Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(outcome, "outcome"), requestsSent, "");
    }

    /** The 1-based attempt number. */
    public int number() {
        return number;
    }

    /**
     * How many requests this attempt may have put on the wire: 2 when the JDK re-sent a GET or HEAD itself inside
     * it (which it does once when a connection fails before any response byte), 1 otherwise. Budgets that protect
     * the server count these. A JDK re-send that then succeeded is invisible and not counted.
     */
    public int requestsSent() {
        return requestsSent;
    }

    /** Whether the policy calls this attempt a success. */
    public boolean succeeded() {
        return kind == null;
    }

    /** Why the attempt failed; empty for a success. */
    public Optional<FailureKind> kind() {
        return Optional.ofNullable(kind);
    }

    /** Whether the server may have acted on this attempt. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The start of a status failure's body, as text: the client judges the status when the headers arrive, and a
     * failure's body then never reaches the caller's body handler; at most its first 64 KiB are read, in the
     * charset its {@code Content-Type} names (UTF-8 by default), and the rest is not read (the connection is
     * closed). Empty for a success or a transport failure.
     */
    public String errorBodyPrefix() {
        return errorBodyPrefix;
    }

    /**
     * The response, for a success or a status failure. A status failure's response has a {@code null} body: see
     * {@link #errorBodyPrefix()}.
     */
    public Optional<HttpResponse<T>> response() {
        return Optional.ofNullable(response);
    }

    /**
     * The response of a success, for a policy to return. Unlike {@code response().orElseThrow()}, it refuses a
     * status failure's response too: a policy cannot hand a failed response to its caller by mistake.
     *
     * @throws IllegalStateException when the attempt failed
     */
    public HttpResponse<T> successfulResponse() {
        if (kind != null) {
            throw new IllegalStateException("attempt " + number + " failed (" + kind
                    + "): it has no successful response");
        }
        return response;
    }

    /** The response's status code, or 0 for a transport failure: what a policy records after every attempt. */
    public int statusCode() {
        return response == null ? 0 : response.statusCode();
    }

    /** The exception, for a transport failure. */
    public Optional<IOException> exception() {
        return Optional.ofNullable(exception);
    }

    @Override
    public String toString() {
        return "attempt " + number + (succeeded() ? ": success" : ": " + kind);
    }
}
