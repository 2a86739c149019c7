/**
 * resilient-http's OpenTelemetry instrumentation: a CLIENT span per network attempt and the
 * {@code http.client.request.duration} histogram, by the stable HTTP semantic conventions. Needs only the
 * OpenTelemetry API; the application brings the SDK (or the Java agent) that exports.
 */
module dev.resilienthttp.opentelemetry {
    requires transitive dev.resilienthttp.core;
    requires transitive io.opentelemetry.api;   // create(OpenTelemetry) is the API
    requires io.opentelemetry.context;

    exports dev.resilienthttp.opentelemetry;
}
