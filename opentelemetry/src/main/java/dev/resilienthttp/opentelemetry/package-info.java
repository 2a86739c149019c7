/**
 * OpenTelemetry for resilient-http: {@link dev.resilienthttp.opentelemetry.ResilientHttpTelemetry}.
 *
 * <h2>Spans</h2>
 * One span of kind CLIENT per network attempt (a call retried twice makes three), named by the method
 * ({@code POST}; {@code HTTP} for a method the conventions do not know), child of the context current on the
 * caller's thread when {@code send} or {@code sendAsync} was called, for every attempt, whichever thread sends it.
 * There is no span for the call as a whole (the conventions advise against one besides the attempts'), and none for a
 * call a local protection refused before any attempt. Each attempt's request carries the trace context of its own
 * span, through the {@code OpenTelemetry}'s propagators (W3C {@code traceparent} by default). Attributes:
 * <ul>
 *   <li>{@code http.request.method}, {@code server.address}, {@code server.port}, {@code url.full}: at the span's
 *       start. {@code url.full} is the URI as the client's failure reports write it: no user info, query or fragment,
 *       and secret-shaped path segments and the client's own {@code redact} patterns masked.</li>
 *   <li>{@code http.request.resend_count}: 1 on the second attempt, 2 on the third, ...; absent on the first.</li>
 *   <li>{@code http.response.status_code}: when the attempt got a response.</li>
 *   <li>{@code error.type}, with the span status ERROR: on an attempt that failed or was stopped, and on any
 *       response of 400 or more. Values: the status code ({@code "503"}); for a transport failure, the class of its
 *       most specific cause ({@code java.net.SocketException}, {@code java.net.ConnectException},
 *       {@code java.net.http.HttpTimeoutException}, ...); for an attempt stopped from outside, the class of what
 *       stopped it ({@code java.util.concurrent.CancellationException}, {@code java.lang.InterruptedException}).
 *       No exception is recorded as an event: its message is third-party text the client does not export.</li>
 *   <li>{@code resilient_http.failure_kind}: the attempt's {@code FailureKind} ({@code CONNECTION_RESET},
 *       {@code STALE_CONNECTION}, {@code THROTTLED}, ...), on a failed attempt.</li>
 *   <li>{@code resilient_http.outcome}: whether the server may have acted on the attempt: {@code NOT_SENT},
 *       {@code MAYBE_PROCESSED}, {@code PROCESSED}.</li>
 *   <li>{@code resilient_http.wait_before_ms}: how long the call waited before this attempt (0 for the first).</li>
 *   <li>{@code resilient_http.generation}: the client's connection generation the attempt was sent on.</li>
 * </ul>
 * A span ends when its attempt is classified: after the response headers are judged and the body handler has
 * finished, or at the failure. For a GET or HEAD the JDK may itself re-send the request once inside one attempt,
 * when a pooled connection fails before any response byte; that re-send has no span of its own.
 *
 * <h2>Metrics</h2>
 * The histogram {@code http.client.request.duration}, in seconds, with the conventions' bucket advice (5 ms to
 * 10 s), recorded once per attempt with {@code http.request.method}, {@code server.address}, {@code server.port},
 * and {@code http.response.status_code} and {@code error.type} when the span has them.
 */
package dev.resilienthttp.opentelemetry;
