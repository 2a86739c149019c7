package dev.resilienthttp.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names: the stable HTTP semantic conventions' (written out here: the module needs only the API), then
 * the library's own, under {@code resilient_http.}.
 */
final class TelemetryKeys {
    static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
            AttributeKey.stringKey("http.request.method_original");
    static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** The attempt's {@code FailureKind}, on a failed attempt only. */
    static final AttributeKey<String> FAILURE_KIND = AttributeKey.stringKey("resilient_http.failure_kind");
    /** Whether the server may have acted on the attempt: {@code NOT_SENT}, {@code MAYBE_PROCESSED}, {@code PROCESSED}. */
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("resilient_http.outcome");
    /** How long the call waited before the attempt, in milliseconds: 0 for the first. */
    static final AttributeKey<Long> WAIT_BEFORE_MS = AttributeKey.longKey("resilient_http.wait_before_ms");
    /** The connection generation the attempt was sent on (1 for the client's first). */
    static final AttributeKey<Long> GENERATION = AttributeKey.longKey("resilient_http.generation");

    private TelemetryKeys() {
    }
}
