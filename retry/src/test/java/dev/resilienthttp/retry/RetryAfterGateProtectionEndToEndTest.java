package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.common.Timing;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host-wide {@code Retry-After} end to end: once WireMock has answered one request {@code 429 Retry-After: 2},
 * five more calls to the same host, started at once while it is held, wait with the one that was told. The wait is
 * measured at the server, from WireMock's serve events. Each scenario runs through {@code send} and
 * {@code sendAsync}.
 */
class RetryAfterGateProtectionEndToEndTest {
    private static final ProtectionNumbers NUMBERS = new ProtectionNumbers();
    private static final String SCENARIO = "one 429 Retry-After: 2, then 5 concurrent GETs to the same host";
    private static final int CONCURRENT = 5;
    /** Two seconds asked; 100 ms allowed for the millisecond timestamps and the client's own clock. */
    private static final Duration HELD_AT_LEAST = Duration.ofMillis(1900);
    private static final Duration BOUND = Duration.ofSeconds(30);

    private WireMockOrigin origin;

    @BeforeEach
    void startAnOriginThatThrottlesTheFirstRequest() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get(urlPathMatching("/articles/.*"))
                .inScenario("throttled once").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("told"));
        origin.server().stubFor(get(urlPathMatching("/articles/.*"))
                .inScenario("throttled once").whenScenarioStateIs("told")
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

    private HttpRequest article(int call) {
        return HttpRequest.newBuilder(origin.uri("/articles/" + call)).header("X-Call-Id", "c-" + call).GET().build();
    }

    /** Serve events oldest first. */
    private List<ServeEvent> serveEvents() {
        List<ServeEvent> events = new ArrayList<>(origin.server().getAllServeEvents());
        events.sort(Comparator.comparing(event -> event.getRequest().getLoggedDate()));
        return events;
    }

    /** When the server had sent its response: the request's arrival plus the serve event's total time. */
    private static Instant servedAt(ServeEvent event) {
        Timing timing = event.getTiming();
        Integer total = timing == null ? null : timing.getTotalTime();
        return event.getRequest().getLoggedDate().toInstant().plusMillis(total == null ? 0 : total);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void fiveConcurrentCallsAfterA429WithRetryAfterTwoSecondsReachTheHostNoSoonerThanItAskedAndAllSucceed(
            Sending sending) throws Exception {
        ProtectionEvents events = new ProtectionEvents();
        RetryPolicy policy = RetryPolicy.builder().protectionListener(events).build();
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT + 1);
        List<HttpResponse<String>> responses = new ArrayList<>();
        ConcurrentLinkedQueue<Instant> concurrentStarts = new ConcurrentLinkedQueue<>();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            calls.add(callers.submit(() -> sending.call(client, article(0), BodyHandlers.ofString())));
            assertThat(events.awaitFirstHold(BOUND)).as("the 429 reached the client and held the host").isTrue();
            for (int call = 1; call <= CONCURRENT; call++) {
                HttpRequest request = article(call);
                calls.add(callers.submit(() -> {
                    concurrentStarts.add(Instant.now());
                    return sending.call(client, request, BodyHandlers.ofString());
                }));
            }
            for (Future<HttpResponse<String>> call : calls) {
                responses.add(call.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
            assertThat(callers.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        List<ServeEvent> served = serveEvents();
        Instant throttledAt = servedAt(served.get(0));
        List<Duration> afterThe429 = served.subList(1, served.size()).stream()
                .map(event -> Duration.between(throttledAt, event.getRequest().getLoggedDate().toInstant()))
                .toList();
        Duration earliest = afterThe429.stream().min(Comparator.naturalOrder()).orElse(null);
        Duration latestStart = concurrentStarts.stream().map(start -> Duration.between(throttledAt, start))
                .max(Comparator.naturalOrder()).orElse(null);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("calls", CONCURRENT + 1);
        facts.put("succeeded", responses.stream().filter(response -> response.statusCode() == 200).count());
        facts.put("origin-seen", served.size());
        facts.put("earliest-after-429-ms", earliest == null ? "none" : earliest.toMillis());
        facts.put("bound-ms", HELD_AT_LEAST.toMillis());
        facts.put("concurrent-calls-started-by-ms", latestStart == null ? "none" : latestStart.toMillis());
        facts.put("holds", events.holds());
        NUMBERS.record(SCENARIO, "resilient-http " + sending, facts);

        assertThat(served.get(0).getResponse().getStatus()).isEqualTo(429);
        assertThat(concurrentStarts).as("the five calls started while the host was held, or this proves nothing")
                .hasSize(CONCURRENT)
                .allSatisfy(start -> assertThat(start).isBefore(throttledAt.plus(Duration.ofMillis(1500))));
        assertThat(events.holds()).containsExactly(Duration.ofSeconds(2));
        assertThat(afterThe429).as("arrivals after the 429 was served").hasSize(CONCURRENT + 1)
                .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(HELD_AT_LEAST));
        assertThat(responses).hasSize(CONCURRENT + 1).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("fresh");
        });
    }
}
