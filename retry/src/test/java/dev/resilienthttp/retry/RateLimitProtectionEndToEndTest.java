package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adaptive rate limiter end to end: {@code rateLimit(20, 2)}, one caller making calls back to back, and an
 * origin that answers 429 (without {@code Retry-After}, so that the host gate stays out of it) to its first 20
 * requests, then 200. Each 429 halves the limit, to the floor of 2; each success raises it by one, back to 20.
 *
 * <p>The limiter (resilience4j's) grants its permits per one-second cycle, counted from its first call, and a
 * changed limit counts from the next refill. Twenty 429s rather than the issue's ~10: they spend the first second's
 * 20 permits, so the next second starts at the floor; with 10, the ten successes that follow in the same second
 * would raise the limit back to 12 before it ever applied. The expected pace at the origin, per second: 20 (the
 * 429s), then about 2, 4, 8, 16. The rate is measured at the server, from WireMock's arrival times. Each scenario
 * runs through {@code send} and {@code sendAsync}, in about five seconds each.
 */
class RateLimitProtectionEndToEndTest {
    private static final ProtectionNumbers NUMBERS = new ProtectionNumbers();
    private static final String SCENARIO = "rateLimit(20, 2), an origin answering 429 without Retry-After to its "
            + "first 20 requests, then 200";
    private static final int LIMIT = 20;
    private static final int FLOOR = 2;
    private static final int THROTTLED_REQUESTS = 20;
    /**
     * 20 + 2 + 4 + 8 + 16 + 10: the origin has seen the pace climb back to at least 12 a second, about five seconds
     * in. (A raised limit may already count at the next refill, so the climb can also run 3, 6, 12, 20.)
     */
    private static final int REQUESTS = 60;
    private static final Duration BOUND = Duration.ofSeconds(12);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private WireMockOrigin origin;

    @BeforeEach
    void startAnOriginThatThrottlesItsFirstRequests() {
        origin = WireMockOrigin.start();
        for (int i = 0; i < THROTTLED_REQUESTS; i++) {
            origin.server().stubFor(get(urlPathMatching("/articles/.*"))
                    .inScenario("throttling").whenScenarioStateIs(i == 0 ? STARTED : "after " + i)
                    .willReturn(aResponse().withStatus(429)).willSetStateTo("after " + (i + 1)));
        }
        origin.server().stubFor(get(urlPathMatching("/articles/.*"))
                .inScenario("throttling").whenScenarioStateIs("after " + THROTTLED_REQUESTS)
                .willReturn(ok("fresh")));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @AfterAll
    static void printNumbers() {
        NUMBERS.print();
    }

    /**
     * One request through a client of its own, so that the class loading and JIT of a JVM's first HTTP call do not
     * eat into the measured limiter's first second: its one-second cycles count from its first call.
     */
    private void warmUp() throws Exception {
        origin.server().stubFor(get("/warm-up").willReturn(ok()));
        try (ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).build()) {
            assertThat(client.send(HttpRequest.newBuilder(origin.uri("/warm-up")).GET().build(),
                    BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
    }

    /** When each request to an article arrived, oldest first. */
    private List<Instant> articleArrivals() {
        return origin.requests().stream().filter(request -> request.getUrl().startsWith("/articles/"))
                .map(request -> request.getLoggedDate().toInstant()).toList();
    }

    private HttpRequest article(int call) {
        return HttpRequest.newBuilder(origin.uri("/articles/" + call)).header("X-Call-Id", "c-" + call).GET().build();
    }

    /** Requests that arrived in {@code (from, from + 1 s]}. */
    private static long inTheSecondAfter(List<Instant> arrivals, Instant from) {
        Instant to = from.plus(SECOND);
        return arrivals.stream().filter(arrival -> arrival.isAfter(from) && !arrival.isAfter(to)).count();
    }

    /** The most requests that arrived within one second of each other, after {@code from}. */
    private static long busiestSecondAfter(List<Instant> arrivals, Instant from) {
        return arrivals.stream().filter(start -> start.isAfter(from))
                .mapToLong(start -> inTheSecondAfter(arrivals, start.minusMillis(1))).max().orElse(0);
    }

    /** Requests per second since the first one: second 0 is the first second. */
    private static List<Integer> perSecond(List<Instant> arrivals) {
        List<Integer> counts = new ArrayList<>();
        for (Instant arrival : arrivals) {
            int second = (int) (Duration.between(arrivals.get(0), arrival).toMillis() / 1000);
            while (counts.size() <= second) {
                counts.add(0);
            }
            counts.set(second, counts.get(second) + 1);
        }
        return counts;
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void repeated429sWithoutRetryAfterDropTheRequestRateToTheFloorAndSuccessesRaiseItBack(Sending sending)
            throws Exception {
        ProtectionEvents events = new ProtectionEvents();
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .random(new Random(42)).rateLimit(LIMIT, FLOOR).protectionListener(events).build();
        warmUp();
        List<FailureKind> failures = new ArrayList<>();
        int calls = 0;
        int succeeded = 0;
        long started = System.nanoTime();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            while (articleArrivals().size() < REQUESTS && System.nanoTime() - started < BOUND.toNanos()) {
                try {
                    HttpResponse<String> response = sending.call(client, article(calls++), BodyHandlers.ofString());
                    succeeded += response.statusCode() == 200 ? 1 : 0;
                } catch (HttpFailureException e) {
                    failures.add(e.kind());
                }
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        List<Instant> arrivals = articleArrivals();
        Instant last429 = arrivals.get(Math.min(THROTTLED_REQUESTS, arrivals.size()) - 1);
        long throttledPace = inTheSecondAfter(arrivals, last429);
        long recoveredPace = busiestSecondAfter(arrivals, last429);
        List<Integer> limits = events.rateLimits();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("calls", calls);
        facts.put("succeeded", succeeded);
        facts.put("call-kinds", ProtectionNumbers.byKind(failures, kind -> kind));
        facts.put("origin-seen", arrivals.size());
        facts.put("per-second", perSecond(arrivals));
        facts.put("second-after-last-429", throttledPace);
        facts.put("busiest-second-after-last-429", recoveredPace);
        facts.put("limits", limits);
        facts.put("took-ms", took.toMillis());
        NUMBERS.record(SCENARIO, "resilient-http " + sending, facts);

        assertThat(arrivals).as("the origin saw the throttled phase and the recovery").hasSizeGreaterThanOrEqualTo(
                REQUESTS);
        assertThat(limits).as("each 429 halved the limit, to the floor").startsWith(10, 5, FLOOR);
        assertThat(Collections.min(limits)).isEqualTo(FLOOR);
        List<Integer> afterTheFloor = limits.subList(limits.lastIndexOf(FLOOR) + 1, limits.size());
        assertThat(afterTheFloor).as("successes raised the limit one by one, back to the top")
                .isSorted().endsWith(LIMIT);
        assertThat(throttledPace).as("requests in the second after the last 429 (the floor is %d a second)", FLOOR)
                .isLessThanOrEqualTo(FLOOR + 3L);
        assertThat(recoveredPace).as("requests in the busiest second after the last 429, as the limit climbed back")
                .isGreaterThanOrEqualTo(12L);
        assertThat(failures).as("calls whose six attempts all met a 429").containsOnly(FailureKind.THROTTLED);
    }
}
