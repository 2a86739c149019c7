package dev.resilienthttp.opentelemetry;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** An OpenTelemetry SDK that keeps every finished span and every measurement in memory, with W3C propagation. */
final class InMemoryTelemetry implements AutoCloseable {
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    OpenTelemetrySdk sdk() {
        return sdk;
    }

    /** The finished spans of the module's scope, in the order their attempts were made. */
    List<SpanData> attemptSpans() {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getInstrumentationScopeInfo().getName().equals(TracingInstrumentation.SCOPE))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .collect(Collectors.toList());
    }

    /** The one {@code http.client.request.duration} histogram collected now. */
    MetricData requestDuration() {
        List<MetricData> found = metrics.collectAllMetrics().stream()
                .filter(metric -> metric.getName().equals("http.client.request.duration"))
                .collect(Collectors.toList());
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** The points of {@link #requestDuration()}, one per set of attributes. */
    List<HistogramPointData> requestDurationPoints() {
        return List.copyOf(requestDuration().getHistogramData().getPoints());
    }

    @Override
    public void close() {
        sdk.close();
    }
}
