package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.testkit.RecordingListener;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Status sequences end to end, with WireMock as the origin: which statuses are retried, how often, with what on
 * the wire, and what the failure report says. Each scenario runs through {@code send} and {@code sendAsync}.
 * The 403 and 404 run the standard policy; the sequences of 503s run {@link Clients#shortBackoff()}, the same
 * decision with 5-50 ms waits, so that six attempts take milliseconds rather than up to 8 s.
 */
class StatusRetryEndToEndTest {
    private WireMockOrigin origin;

    @BeforeEach
    void startOrigin() {
        origin = WireMockOrigin.start();
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(origin.uri(path)).GET().build();
    }

    /** {@code path} answers each of {@code statuses} in turn, then 200 for ever. */
    private void answersInTurn(String method, String path, int... statuses) {
        for (int i = 0; i < statuses.length; i++) {
            var stub = "POST".equals(method) ? post(path) : get(path);
            origin.server().stubFor(stub.inScenario("sequence").whenScenarioStateIs(i == 0 ? STARTED : "after " + i)
                    .willReturn(aResponse().withStatus(statuses[i])).willSetStateTo("after " + (i + 1)));
        }
        var last = "POST".equals(method) ? post(path) : get(path);
        origin.server().stubFor(last.inScenario("sequence").whenScenarioStateIs("after " + statuses.length)
                .willReturn(aResponse().withStatus(200).withBody("done")));
    }

    private HttpFailureException failureOf(Sending sending, ResilientHttpClient client, HttpRequest request) {
        Throwable thrown = catchThrowable(() -> sending.call(client, request, BodyHandlers.ofString()));
        assertThat(thrown).isInstanceOf(HttpFailureException.class);
        return (HttpFailureException) thrown;
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void a403IsRetriedOnceThenFailsAsForbidden(Sending sending) {
        origin.server().stubFor(get("/articles/7").willReturn(aResponse().withStatus(403)));

        try (ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).build()) {
            HttpFailureException failure = failureOf(sending, client, request("/articles/7"));

            assertThat(failure.kind()).isEqualTo(FailureKind.FORBIDDEN);
            assertThat(failure.report().attempts()).as("forbiddenRetries 1: one retry").isEqualTo(2);
        }
        origin.server().verify(2, getRequestedFor(urlEqualTo("/articles/7")));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void a404IsNotRetriedAndFailsAsAClientErrorNamingTheStatusAndPath(Sending sending) {
        origin.server().stubFor(get("/articles/missing").willReturn(aResponse().withStatus(404)));

        try (ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).build()) {
            HttpFailureException failure = failureOf(sending, client, request("/articles/missing"));

            assertThat(failure.kind()).isEqualTo(FailureKind.CLIENT_ERROR);
            assertThat(failure.report().attempts()).isEqualTo(1);
            assertThat(failure.report().failReason()).contains("HTTP 404").contains("/articles/missing");
        }
        origin.server().verify(1, getRequestedFor(urlEqualTo("/articles/missing")));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void twoServerErrorsThenASuccessMakeASuccessfulCall(Sending sending) throws Exception {
        answersInTurn("GET", "/articles/7", 503, 503);
        RecordingListener listener = new RecordingListener();

        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).listener(listener).build()) {
            HttpResponse<String> response = sending.call(client, request("/articles/7"), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("done");
        }
        origin.server().verify(3, getRequestedFor(urlEqualTo("/articles/7")));
        assertThat(listener.events()).containsExactly("callStarted GET", "attemptStarted 1",
                "attemptFailed 1 SERVER_ERROR 503", "attemptStarted 2", "attemptFailed 2 SERVER_ERROR 503",
                "attemptStarted 3", "attemptSucceeded 3 200", "callSucceeded 3");
        listener.assertOrder();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void sixServerErrorsFailWithATimelineOfSixNumberedAttemptsAndTheirWaits(Sending sending) {
        origin.server().stubFor(get("/articles/7").willReturn(aResponse().withStatus(503)));
        RecordingListener listener = new RecordingListener();

        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).listener(listener).build()) {
            HttpFailureException failure = failureOf(sending, client, request("/articles/7"));
            listener.assertOrder();
            assertThat(listener.events()).last().isEqualTo("callFailed SERVER_ERROR 6");

            assertThat(failure.kind()).isEqualTo(FailureKind.SERVER_ERROR);
            List<FailureReport.Attempt> timeline = failure.report().timeline();
            assertThat(timeline).extracting(FailureReport.Attempt::number).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(timeline).allSatisfy(attempt -> assertThat(attempt.status()).isEqualTo(503));
            assertThat(timeline.get(0).delayBefore()).isZero();
            assertThat(timeline.subList(1, 6)).allSatisfy(attempt ->
                    assertThat(attempt.delayBefore()).isPositive());
            assertThat(failure.report().failReason()).startsWith("SERVER_ERROR after 6 attempts");
        }
        origin.server().verify(6, getRequestedFor(urlEqualTo("/articles/7")));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aKeyedPostRetriedAfter503sCarriesTheSameIdempotencyKeyOnEveryAttempt(Sending sending) throws Exception {
        answersInTurn("POST", "/orders", 503, 503);
        HttpRequest post = IdempotencyKeys.withFreshKey(HttpRequest.newBuilder(origin.uri("/orders"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"sku\":\"A-1\"}"))
                .build());
        String key = post.headers().firstValue(IdempotencyKeys.HEADER).orElseThrow();

        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
            HttpResponse<String> response = sending.call(client, post, BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
        }
        origin.server().verify(3, postRequestedFor(urlEqualTo("/orders")));
        origin.server().verify(3, postRequestedFor(urlEqualTo("/orders"))
                .withHeader(IdempotencyKeys.HEADER, equalTo(key)));
        assertThat(origin.requests()).extracting(LoggedRequest::getBodyAsString).containsOnly("{\"sku\":\"A-1\"}");
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aStatusTheBuilderMapsToServerErrorIsRetriedAndTheNext200Succeeds(Sending sending) throws Exception {
        answersInTurn("GET", "/articles/9", 409);
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .statusKind(409, FailureKind.SERVER_ERROR).build();

        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            HttpResponse<String> response = sending.call(client, request("/articles/9"), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(origin.requests()).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void a501IsAPermanentServerErrorEndedAtOnce(Sending sending) {
        origin.server().stubFor(get("/articles/10").willReturn(aResponse().withStatus(501)));

        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
            HttpFailureException failure = failureOf(sending, client, request("/articles/10"));

            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_SERVER_ERROR);
            assertThat(failure.kind().isTransient()).as("so the Kafka adapter dead-letters it too").isFalse();
            assertThat(failure.report().attempts()).isEqualTo(1);
            assertThat(origin.requests()).hasSize(1);
        }
    }

    @Test
    void sendAndSendAsyncRunTheSameLoopAndGiveTheSameTimeline() throws Exception {
        List<List<String>> timelines = new ArrayList<>();
        for (Sending sending : Sending.values()) {
            origin.server().resetAll();
            answersInTurn("GET", "/articles/11", 503, 429, 500, 404);
            try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
                FailureReport report = failureOf(sending, client, request("/articles/11")).report();
                timelines.add(report.timeline().stream()
                        .map(a -> a.number() + " " + a.kind() + " " + a.status() + " " + a.outcome()).toList());
            }
        }

        assertThat(timelines.get(0)).containsExactly("1 SERVER_ERROR 503 PROCESSED", "2 THROTTLED 429 PROCESSED",
                "3 SERVER_ERROR 500 PROCESSED", "4 CLIENT_ERROR 404 PROCESSED");
        assertThat(timelines.get(1)).as("sendAsync").isEqualTo(timelines.get(0));
    }
}
