package dev.resilienthttp.opentelemetry;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.RecordedRequest;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.retry.RetryPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A call through a retry policy against a loopback origin whose first connections reset: one CLIENT span per
 * attempt, the trace context of each on the wire, the duration of each in the histogram, and no secret of the URL
 * anywhere.
 */
class AttemptSpansEndToEndTest {
    private static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> FAILURE_KIND = AttributeKey.stringKey("resilient_http.failure_kind");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("resilient_http.outcome");
    private static final AttributeKey<Long> WAIT_BEFORE_MS = AttributeKey.longKey("resilient_http.wait_before_ms");
    private static final AttributeKey<Long> GENERATION = AttributeKey.longKey("resilient_http.generation");
    private static final List<Double> CONVENTION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private final InMemoryTelemetry telemetry = new InMemoryTelemetry();

    @AfterEach
    void closeTelemetry() {
        telemetry.close();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void twoResetsThenASuccessMakeThreeClientSpansInOneTraceCountedByTheirResends(Sending sending) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = client()) {
            server.enqueue(Behaviour.resetBeforeResponse(), Behaviour.resetBeforeResponse());
            Span caller = telemetry.sdk().getTracer("test").spanBuilder("caller").startSpan();
            HttpResponse<String> response;
            Scope scope = caller.makeCurrent();
            try {
                response = sending.call(client, order(server), BodyHandlers.ofString());
            } finally {
                scope.close();
                caller.end();
            }

            assertThat(response.statusCode()).isEqualTo(200);
            List<SpanData> spans = telemetry.attemptSpans();
            assertThat(spans).hasSize(3).allSatisfy(span -> {
                assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
                assertThat(span.getName()).isEqualTo("POST");
                assertThat(span.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
                assertThat(span.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
                assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("POST");
                assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
                assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(server.port());
                assertThat(span.getAttributes().get(URL_FULL)).isEqualTo("http://127.0.0.1:" + server.port() + "/orders");
                assertThat(span.getAttributes().get(GENERATION)).isPositive();
            });
            assertThat(spans).extracting(span -> span.getAttributes().get(RESEND_COUNT)).containsExactly(null, 1L, 2L);
            assertThat(spans).extracting(span -> span.getAttributes().get(FAILURE_KIND))
                    .containsExactly("CONNECTION_RESET", "CONNECTION_RESET", null);
            assertThat(spans).extracting(span -> span.getAttributes().get(OUTCOME))
                    .containsExactly("MAYBE_PROCESSED", "MAYBE_PROCESSED", "PROCESSED");
            assertThat(spans).extracting(span -> span.getAttributes().get(STATUS_CODE)).containsExactly(null, null, 200L);
            assertThat(spans).extracting(span -> span.getStatus().getStatusCode())
                    .containsExactly(StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET);
            assertThat(spans.get(0).getAttributes().get(WAIT_BEFORE_MS)).isZero();
            String resetType = spans.get(0).getAttributes().get(ERROR_TYPE);
            assertThat(resetType).as("the reset's exception class").matches("[a-z]+(\\.[a-z]+)*\\.[A-Z]\\w+");
            assertThat(spans).extracting(span -> span.getAttributes().get(ERROR_TYPE))
                    .containsExactly(resetType, resetType, null);

            List<RecordedRequest> requests = server.requests();
            assertThat(requests).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(requests.get(i).header("traceparent")).as("attempt %d's traceparent", i + 1)
                        .contains("00-" + spans.get(i).getTraceId() + "-" + spans.get(i).getSpanId() + "-"
                                + spans.get(i).getSpanContext().getTraceFlags().asHex());
            }

            List<HistogramPointData> points = telemetry.requestDurationPoints();
            assertThat(points.stream().mapToLong(HistogramPointData::getCount).sum()).isEqualTo(3);
            assertThat(points).allSatisfy(point -> assertThat(point.getBoundaries()).isEqualTo(CONVENTION_BUCKETS));
            assertThat(telemetry.requestDuration().getUnit()).isEqualTo("s");
            assertThat(points).extracting(point -> point.getAttributes().get(ERROR_TYPE), HistogramPointData::getCount)
                    .containsExactlyInAnyOrder(tuple(resetType, 2L),
                            tuple(null, 1L));
            assertThat(points).allSatisfy(point -> assertThat(point.getAttributes().asMap().keySet())
                    .extracting(AttributeKey::getKey).doesNotContain("url.full"));

            List<Attributes> everyAttribute = new ArrayList<>();
            spans.forEach(span -> everyAttribute.add(span.getAttributes()));
            points.forEach(point -> everyAttribute.add(point.getAttributes()));
            assertThat(everyAttribute).allSatisfy(attributes -> assertThat(attributes.asMap().values())
                    .allSatisfy(value -> assertThat(String.valueOf(value))
                            .doesNotContain("secret", "user", "token", "s3cr3t", "?", "@")));
        }
    }

    @Test
    void everyAttemptOfAnAsyncCallIsAChildOfTheCallersSpanWhicheverThreadSendsIt() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = client()) {
            server.enqueue(Behaviour.resetBeforeResponse(), Behaviour.resetBeforeResponse());
            Span caller = telemetry.sdk().getTracer("test").spanBuilder("caller").startSpan();
            CompletableFuture<HttpResponse<String>> call;
            Scope scope = caller.makeCurrent();
            try {
                call = client.sendAsync(order(server), BodyHandlers.ofString());
            } finally {
                scope.close();
            }
            // The caller's context is no longer current here; the retries run on client threads.
            assertThat(Span.current().getSpanContext().isValid()).isFalse();
            HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
            caller.end();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(telemetry.attemptSpans()).hasSize(3).allSatisfy(span -> {
                assertThat(span.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
                assertThat(span.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aFailedStatusIsTheErrorTypeOfItsAttempt(Sending sending) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = client()) {
            server.enqueue(Behaviour.respond(503, Map.of(), "busy"));

            sending.call(client, order(server), BodyHandlers.ofString());

            List<SpanData> spans = telemetry.attemptSpans();
            assertThat(spans).hasSize(2);
            assertThat(spans.get(0).getAttributes().get(STATUS_CODE)).isEqualTo(503L);
            assertThat(spans.get(0).getAttributes().get(ERROR_TYPE)).isEqualTo("503");
            assertThat(spans.get(0).getAttributes().get(FAILURE_KIND)).isEqualTo("SERVER_ERROR");
            assertThat(spans.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(spans.get(1).getAttributes().get(ERROR_TYPE)).isNull();
            assertThat(spans.get(1).getAttributes().get(WAIT_BEFORE_MS)).isNotNull();
            assertThat(spans).extracting(span -> span.getParentSpanContext().isValid())
                    .as("no caller span: each attempt's span is a root of the same call, in its own trace")
                    .containsExactly(false, false);
            assertThat(telemetry.requestDurationPoints())
                    .extracting(point -> point.getAttributes().get(STATUS_CODE), HistogramPointData::getCount)
                    .containsExactlyInAnyOrder(tuple(503L, 1L),
                            tuple(200L, 1L));
        }
    }

    private ResilientHttpClient client() {
        // Short waits: the decision is the standard policy's; only the backoff is 5 ms doubling to 50 ms.
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .random(new Random(42)).build();
        return ResilientHttpClient.builder().userAgent("otel-tests/1.0 (ops@example.org)").preferHttp1()
                .retry(policy).instrumentation(ResilientHttpTelemetry.create(telemetry.sdk()).instrumentation())
                .build();
    }

    /**
     * A keyed POST, which the policy retries and the JDK never re-sends itself (one request on the wire per attempt),
     * to a URL with credentials and a token in its query.
     */
    private static HttpRequest order(ScriptedHttpServer server) {
        URI withSecrets = URI.create("http://user:s3cr3t@127.0.0.1:" + server.port() + "/orders?token=secret-token");
        return HttpRequest.newBuilder(withSecrets).header("Idempotency-Key", "order-1")
                .POST(BodyPublishers.ofString("{\"order\":1}")).build();
    }
}
