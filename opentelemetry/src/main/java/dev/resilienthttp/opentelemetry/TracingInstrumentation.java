package dev.resilienthttp.opentelemetry;

import dev.resilienthttp.core.spi.CallInstrumentation;
import dev.resilienthttp.core.spi.Instrumentation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.net.http.HttpRequest;
import java.util.List;

/** The client's instrumentation: the tracer, the histogram and the propagator every call shares. */
final class TracingInstrumentation implements Instrumentation {
    /** The instrumentation scope of every span and of the histogram. */
    static final String SCOPE = "dev.resilienthttp.opentelemetry";
    /** The HTTP metrics conventions' advice for {@code http.client.request.duration}, in seconds. */
    private static final List<Double> DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private final Tracer tracer;
    private final DoubleHistogram duration;
    private final TextMapPropagator propagator;

    TracingInstrumentation(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.duration = openTelemetry.getMeter(SCOPE).histogramBuilder("http.client.request.duration")
                .setUnit("s").setDescription("Duration of HTTP client requests.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Reads the caller's context here, on the caller's thread: every attempt's span is its child. */
    @Override
    public CallInstrumentation callStarted(HttpRequest request, String redactedUri) {
        return new AttemptSpans(tracer, duration, propagator, Context.current(),
                RequestAttributes.of(request, redactedUri));
    }
}
