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

    /**
     * @param report   the report of the failed call
     * @param cause    the last attempt's exception, or {@code null} when it ended with a response or none was made
     * @param response the last attempt's response, or {@code null} when it had none
     */
    public HttpFailureException(FailureReport report, Throwable cause, HttpResponse<?> response) {
        super(Objects.requireNonNull(report, "report").failReason(), cause);
        this.report = report;
        this.response = response;
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
     * The last attempt's response when the call ended on a status (its body as the body handler made it), so
     * that callers can read an error body. Empty after deserialization, and when the last attempt had none. The
     * caller owns the body: close a streaming one ({@code ofInputStream()}, {@code ofLines()}) when done.
     */
    public Optional<HttpResponse<?>> response() {
        return Optional.ofNullable(response);
    }
}
