package dev.resilienthttp.core.spi;

import dev.resilienthttp.core.ResilientHttpClientBuilder;

import java.net.http.HttpRequest;

/**
 * Instruments a client's calls attempt by attempt, for tracing: given to
 * {@link ResilientHttpClientBuilder#instrumentation}, it is asked at the start of every call for a
 * {@link CallInstrumentation}, which then sets headers on each attempt's request and hears how each attempt ended.
 * The OpenTelemetry module's {@code ResilientHttpTelemetry} implements it.
 *
 * <p>Unlike an {@link dev.resilienthttp.core.HttpEventListener}, it runs {@link #callStarted} on the caller's
 * thread for {@code sendAsync} too, where it can read what the caller's thread holds (OpenTelemetry's
 * {@code Context.current()}), and it can add headers to the request as it goes out (a W3C {@code traceparent}).
 *
 * <p>Implementations are thread-safe (one serves every call of a client at once), return quickly and do not block.
 * What they throw is logged and otherwise ignored, as a listener's is: the call goes on uninstrumented.
 */
@FunctionalInterface
public interface Instrumentation {

    /**
     * A call was handed to the client. Called once per call, on the caller's thread, inside {@code send} or
     * {@code sendAsync} and before the first attempt.
     *
     * @param request     the request as it is sent (with the client's {@code User-Agent} and timeout applied)
     * @param redactedUri the request's URI as every report and log line of the client writes it: no user info, query,
     *                    fragment, path parameter or secret-shaped segment, and the client's own
     *                    {@code redact} patterns masked; safe to export
     * @return what instruments this call's attempts, or {@link CallInstrumentation#NONE} to leave the call alone
     */
    CallInstrumentation callStarted(HttpRequest request, String redactedUri);
}
