package dev.resilienthttp.opentelemetry;

import dev.resilienthttp.core.spi.AttemptEnd;
import dev.resilienthttp.core.spi.CallInstrumentation;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.function.BiConsumer;

import static dev.resilienthttp.opentelemetry.TelemetryKeys.ERROR_TYPE;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.FAILURE_KIND;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.GENERATION;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.HTTP_REQUEST_RESEND_COUNT;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.HTTP_RESPONSE_STATUS_CODE;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.OUTCOME;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.WAIT_BEFORE_MS;

/**
 * One call's spans: a CLIENT span per attempt, child of the caller's context at the call's start, started just
 * before the attempt is sent (its trace context then goes into the attempt's request) and ended when the attempt
 * is classified, with the attempt's duration recorded in the histogram at the same time. The span ends once the
 * response headers are judged and the body handler has finished (for {@code ofString}, once the body is read);
 * a status failure's body is not read beyond its first 64 KiB.
 */
final class AttemptSpans implements CallInstrumentation {
    private static final TextMapSetter<BiConsumer<String, String>> HEADERS = (header, name, value) -> {
        if (header != null) {
            header.accept(name, value);
        }
    };
    private static final double NANOS_PER_SECOND = 1e9;

    private final Tracer tracer;
    private final DoubleHistogram duration;
    private final TextMapPropagator propagator;
    private final Context parent;
    private final RequestAttributes request;
    /** The span of the attempt in flight; attempts are sequential, but end on other threads than they start. */
    private volatile Span current;

    AttemptSpans(Tracer tracer, DoubleHistogram duration, TextMapPropagator propagator, Context parent,
                 RequestAttributes request) {
        this.tracer = tracer;
        this.duration = duration;
        this.propagator = propagator;
        this.parent = parent;
        this.request = request;
    }

    @Override
    public void attemptStarting(int attempt, BiConsumer<String, String> header) {
        SpanBuilder builder = tracer.spanBuilder(request.spanName()).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAllAttributes(request.span());
        if (attempt > 1) {
            builder.setAttribute(HTTP_REQUEST_RESEND_COUNT, attempt - 1L);
        }
        Span span = builder.startSpan();
        current = span;
        propagator.inject(parent.with(span), header, HEADERS);
    }

    @Override
    public void attemptEnded(AttemptEnd end) {
        Span span = current;
        current = null;
        if (span == null) {
            return;   // attemptStarting threw before its span existed
        }
        AttributesBuilder metric = request.metric().toBuilder();
        if (end.statusCode() > 0) {
            span.setAttribute(HTTP_RESPONSE_STATUS_CODE, end.statusCode());
            metric.put(HTTP_RESPONSE_STATUS_CODE, end.statusCode());
        }
        String errorType = ErrorType.of(end);
        if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);   // no description: error.type and the status code say it
            metric.put(ERROR_TYPE, errorType);
        }
        end.kind().ifPresent(kind -> span.setAttribute(FAILURE_KIND, kind.name()));
        span.setAttribute(OUTCOME, end.outcome().name());
        span.setAttribute(WAIT_BEFORE_MS, end.waitedBefore().toMillis());
        span.setAttribute(GENERATION, end.generation());
        span.end();
        Attributes measured = metric.build();
        duration.record(end.duration().toNanos() / NANOS_PER_SECOND, measured, parent.with(span));
    }
}
