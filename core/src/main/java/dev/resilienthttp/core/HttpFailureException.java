package dev.resilienthttp.core;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * A call that the policy could not turn into a success. Its {@link #report()} says what happened on every
 * attempt; the exception of the last failed attempt is the cause, and earlier attempts' exceptions are
 * attached as {@linkplain #getSuppressed() suppressed}.
 */
public final class HttpFailureException extends IOException {
    private static final long serialVersionUID = 1L;

    private final FailureReport report;
    private final transient HttpResponse<?> response;
    private final String bodyPrefix;

    /**
     * @param report   the report of the failed call
     * @param cause    the last attempt's exception, or {@code null} when it ended with a response or none was made
     * @param response the last attempt's response, or {@code null} when it had none
     */
    public HttpFailureException(FailureReport report, Throwable cause, HttpResponse<?> response) {
        this(report, cause, response, "");
    }

    /**
     * @param report     the report of the failed call
     * @param cause      the last attempt's exception, or {@code null} when it ended with a response or none was made
     * @param response   the last attempt's response, or {@code null} when it had none
     * @param bodyPrefix the start of the last response's body, as text ({@link #bodyPrefix()}), or empty
     */
    public HttpFailureException(FailureReport report, Throwable cause, HttpResponse<?> response,
                                String bodyPrefix) {
        super(Objects.requireNonNull(report, "report").failReason(), cause);
        this.report = report;
        this.response = response;
        this.bodyPrefix = Objects.requireNonNull(bodyPrefix, "bodyPrefix");
    }

    /** What happened, attempt by attempt. */
    public FailureReport report() {
        return report;
    }

    /** The kind that ended the call; shorthand for {@code report().kind()}. */
    public FailureKind kind() {
        return report.kind();
    }

    /**
     * The last attempt's response when the call ended on a status, for its status and headers. Its body is
     * {@code null} when the policy judged the status a failure (the client does that when the headers arrive, and
     * the caller's body handler then never sees the body): read {@link #bodyPrefix()} instead. Empty after
     * deserialization, and when the last attempt had none.
     */
    public Optional<HttpResponse<?>> response() {
        return Optional.ofNullable(response);
    }

    /**
     * The start of the last response's body when the call ended on a failed status: its first 64 KiB at most,
     * decoded in the charset its {@code Content-Type} names (UTF-8 by default), for a person or a log to read why.
     * A body longer than that is not read further (its connection is closed rather than drained), so a 100 MB
     * error page costs neither the time nor the memory. Empty when the call ended otherwise. Kept through
     * serialization. It is the server's text: redact it before it goes where credentials must not.
     */
    public String bodyPrefix() {
        return bodyPrefix == null ? "" : bodyPrefix;   // null when read from a stream written before it existed
    }
}
