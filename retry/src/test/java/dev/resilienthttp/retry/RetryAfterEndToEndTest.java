package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Retry-After} end to end, with WireMock as the origin: the wait is measured where it matters, at the server,
 * from the arrival times WireMock logs. Each scenario runs through {@code send} and {@code sendAsync}.
 */
class RetryAfterEndToEndTest {
    private static final RetryNumbers NUMBERS = new RetryNumbers();
    private static final String THROTTLED_SCENARIO = "429 Retry-After: 2, then 200";

    private WireMockOrigin origin;

    @BeforeEach
    void startOrigin() {
        origin = WireMockOrigin.start();
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @AfterAll
    static void printNumbers() {
        NUMBERS.print();
    }

    private HttpRequest getArticles(String callId) {
        return HttpRequest.newBuilder(origin.uri("/articles")).header("X-Call-Id", callId).GET().build();
    }

    /** The first request gets {@code status} with {@code retryAfter} (none when null), every later one 200. */
    private void firstAnswers(int status, String retryAfter) {
        var first = aResponse().withStatus(status);
        if (retryAfter != null) {
            first = first.withHeader("Retry-After", retryAfter);
        }
        origin.server().stubFor(get("/articles")
                .inScenario("first refused").whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("refused once"));
        origin.server().stubFor(get("/articles")
                .inScenario("first refused").whenScenarioStateIs("refused once")
                .willReturn(ok("fresh")));
    }

    private Duration gapBetweenTheTwoAttempts() {
        List<Instant> arrivals = origin.arrivals();
        assertThat(arrivals).as("requests the origin saw").hasSize(2);
        return Duration.between(arrivals.get(0), arrivals.get(1));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void a429WithRetryAfterInSecondsIsRetriedNoEarlierThanAskedAndSucceeds(Sending sending) throws Exception {
        firstAnswers(429, "2");

        try (ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).build()) {
            HttpResponse<String> response = sending.call(client, getArticles("c-1"), BodyHandlers.ofString());
            NUMBERS.record(THROTTLED_SCENARIO, "resilient-http " + sending, 1,
                    response.statusCode() == 200 ? 1 : 0, origin.duplicates("X-Call-Id"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("fresh");
        }
        assertThat(gapBetweenTheTwoAttempts()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theRawJdkClientHandsThe429ToItsCaller() throws Exception {
        firstAnswers(429, "2");
        HttpClient raw = Clients.rawJdk();
        try {
            HttpResponse<String> response = raw.send(getArticles("c-1"), BodyHandlers.ofString());
            NUMBERS.record(THROTTLED_SCENARIO, "raw JDK", 1, response.statusCode() == 200 ? 1 : 0,
                    origin.duplicates("X-Call-Id"));

            assertThat(response.statusCode()).as("without a fault the comparison proves nothing").isEqualTo(429);
        } finally {
            Clients.close(raw);
        }
    }

    static Stream<Arguments> sendingAndDayOfMonth() {
        return Stream.of(Sending.values()).flatMap(sending -> Stream.of(
                Arguments.of(sending, 21), Arguments.of(sending, 1)));
    }

    /**
     * The date is written by the JDK's {@code RFC_1123_DATE_TIME}, as Java servers commonly write it. That
     * formatter does not pad the day of the month ({@code Sun, 1 Nov 2026 ...}), so the client's clock is pinned
     * to a two-digit day and to a one-digit day: the result must not depend on the day the suite runs.
     */
    @ParameterizedTest(name = "{0}, client clock on day {1} of the month")
    @MethodSource("sendingAndDayOfMonth")
    void a429WithAnHttpDateRetryAfterIsRetriedNoEarlierThanTheDateAndSucceeds(Sending sending, int dayOfMonth)
            throws Exception {
        Instant pinned = ZonedDateTime.of(2026, 11, dayOfMonth, 12, 0, 0, 0, ZoneOffset.UTC).toInstant();
        Duration shift = Duration.between(Instant.now(), pinned);
        Clock clientClock = Clock.offset(Clock.systemUTC(), shift);
        ZonedDateTime retryAt = ZonedDateTime.ofInstant(clientClock.instant().plusSeconds(3), ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS);
        String httpDate = DateTimeFormatter.RFC_1123_DATE_TIME.format(retryAt);
        firstAnswers(429, httpDate);

        try (ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).clock(clientClock).build()) {
            HttpResponse<String> response = sending.call(client, getArticles("c-1"), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
        }
        Instant secondAttemptOnTheClientClock = origin.arrivals().get(1).plus(shift);
        // HTTP dates have whole seconds: allow one second of rounding, no more.
        assertThat(secondAttemptOnTheClientClock)
                .as("second attempt after the server said \"Retry-After: %s\"", httpDate)
                .isAfterOrEqualTo(retryAt.toInstant().minusSeconds(1));
        assertThat(origin.arrivals()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void a503WithoutRetryAfterIsRetriedWithBackoffAndSucceeds(Sending sending) throws Exception {
        firstAnswers(503, null);

        try (ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).build()) {
            HttpResponse<String> response = sending.call(client, getArticles("c-1"), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(origin.arrivals()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void a503WithRetryAfterIsRetriedNoEarlierThanAskedAndSucceeds(Sending sending) throws Exception {
        firstAnswers(503, "1");

        try (ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).build()) {
            HttpResponse<String> response = sending.call(client, getArticles("c-1"), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(gapBetweenTheTwoAttempts()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aRetryAfterBeyondTheCapFailsAtOnceAsThrottledNamingTheCap(Sending sending) {
        origin.server().stubFor(get("/articles")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "100000")));

        try (ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).build()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> sending.call(client, getArticles("c-1"), BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(HttpFailureException.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(FailureKind.THROTTLED);
                        assertThat(failure.report().attempts()).isEqualTo(1);
                        assertThat(failure.report().failReason()).contains("120 s cap").contains("HTTP 429");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait of the 120 s cap was started")
                    .isLessThan(Duration.ofSeconds(10));
        }
        assertThat(origin.arrivals()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aRetryAfterThatWouldEndPastTheDeadlineEndsTheCallAsDeadlineExceeded(Sending sending) {
        origin.server().stubFor(get("/articles")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "30")));
        RetryPolicy tenSeconds = RetryPolicy.builder().deadline(Duration.ofSeconds(10)).build();

        try (ResilientHttpClient client = Clients.resilient(tenSeconds).build()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> sending.call(client, getArticles("c-1"), BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(HttpFailureException.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(FailureKind.DEADLINE_EXCEEDED);
                        assertThat(failure.report().timeline()).singleElement()
                                .satisfies(attempt -> assertThat(attempt.status()).isEqualTo(503));
                        assertThat(failure.report().failReason()).contains("10 s deadline");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("no wait is started that would end past the deadline").isLessThan(Duration.ofSeconds(10));
        }
        assertThat(origin.arrivals()).hasSize(1);
    }
}
