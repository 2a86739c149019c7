package dev.resilienthttp.opentelemetry;

import dev.resilienthttp.core.ResilientHttpClientBuilder;
import dev.resilienthttp.core.spi.Instrumentation;
import io.opentelemetry.api.OpenTelemetry;

import java.util.Objects;

/**
 * OpenTelemetry tracing and metrics for a {@code ResilientHttpClient}: one CLIENT span per network attempt, the W3C
 * trace context on each attempt's request, and the {@code http.client.request.duration} histogram, by the stable
 * HTTP semantic conventions (the package documentation lists every attribute).
 *
 * <pre>{@code
 * ResilientHttpClient client = ResilientHttpClient.builder()
 *         .userAgent("article-enricher/2.0 (ops@example.org)")
 *         .retry(RetryPolicy.standard())
 *         .instrumentation(ResilientHttpTelemetry.create(openTelemetry).instrumentation())
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; one serves any number of clients.
 */
public final class ResilientHttpTelemetry {
    private final Instrumentation instrumentation;

    private ResilientHttpTelemetry(OpenTelemetry openTelemetry) {
        this.instrumentation = new TracingInstrumentation(openTelemetry);
    }

    /**
     * Telemetry through {@code openTelemetry}: its tracer provider makes the spans, its meter provider the
     * histogram, and its propagators write the trace context into each attempt's request (W3C {@code traceparent}
     * with the SDK's defaults). Under the OpenTelemetry Java agent, pass {@code GlobalOpenTelemetry.get()}.
     */
    public static ResilientHttpTelemetry create(OpenTelemetry openTelemetry) {
        return new ResilientHttpTelemetry(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /** What {@link ResilientHttpClientBuilder#instrumentation} takes. */
    public Instrumentation instrumentation() {
        return instrumentation;
    }
}
