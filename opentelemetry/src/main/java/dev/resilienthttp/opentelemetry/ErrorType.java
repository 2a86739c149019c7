package dev.resilienthttp.opentelemetry;

import dev.resilienthttp.core.spi.AttemptEnd;

/**
 * An attempt's {@code error.type}, by the HTTP conventions: a failed status as its code, a transport failure or a
 * stop as the class of the exception. Both are of low cardinality.
 */
final class ErrorType {
    private ErrorType() {
    }

    /**
     * The attempt's error type, or {@code null} when it is no error: a status the policy accepts below 400.
     *
     * <ul>
     *   <li>A response: its status code ({@code "503"}) when the policy calls it a failure or it is 400 or more
     *       (the conventions call every 4xx and 5xx of a CLIENT span an error, and the client's default policy
     *       accepts them all).</li>
     *   <li>A transport failure: the class of the most specific cause ({@code java.net.SocketException} for a
     *       reset, not the {@code IOException} the JDK wraps it in), as the failure report names it.</li>
     *   <li>An attempt stopped from outside: the class of what stopped it
     *       ({@code java.util.concurrent.CancellationException}, {@code java.lang.InterruptedException}).</li>
     * </ul>
     */
    static String of(AttemptEnd end) {
        if (!end.exceptionClass().isEmpty()) {
            return end.exceptionClass();
        }
        if (end.statusCode() > 0 && (end.kind().isPresent() || end.statusCode() >= 400)) {
            return Integer.toString(end.statusCode());
        }
        return end.kind().map(Enum::name).orElse(null);
    }
}
