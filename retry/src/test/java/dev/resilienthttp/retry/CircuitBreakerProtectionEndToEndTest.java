package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A total outage end to end: WireMock reads every request and resets the connection before any response byte
 * ({@link Fault#CONNECTION_RESET_BY_PEER}). 200 calls must not become 1,200 requests: the circuit breaker opens and
 * refuses calls without traffic, and the retry budget caps the retries that get through, so the origin sees at
 * most the calls plus the budget's share (20 %) plus its reserve (10 a second over 10 s). Then the origin comes
 * back and the breaker, after its 500 ms open and three probes, closes. The backoff is 5 ms doubling to 50 ms, as
 * in {@link Clients#shortBackoff()}, so the run takes about a second. Each scenario runs through {@code send} and
 * {@code sendAsync}.
 */
class CircuitBreakerProtectionEndToEndTest {
    private static final ProtectionNumbers NUMBERS = new ProtectionNumbers();
    private static final String SCENARIO = "200 GETs in a total outage (every request reset), then recovery";
    private static final int CALLS = 200;
    private static final double BUDGET_PERCENT = 0.2;
    private static final int BUDGET_MIN_PER_SECOND = 10;
    private static final Duration BUDGET_TTL = Duration.ofSeconds(10);
    private static final Duration OPEN_FOR = Duration.ofMillis(500);
    private static final int PROBES = 3;
    /** Every call once, the budget's share of them again, and the budget's reserve. */
    private static final long ORIGIN_BOUND = Math.round(CALLS * (1 + BUDGET_PERCENT))
            + BUDGET_MIN_PER_SECOND * BUDGET_TTL.toSeconds();
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private WireMockOrigin origin;

    @BeforeEach
    void startAnOriginInTotalOutage() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get(urlPathMatching("/articles/.*"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
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

    private static RetryPolicy policy(ProtectionListener listener) {
        return RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .random(new Random(42))
                .circuitBreaker(0.5, 20, OPEN_FOR, PROBES)
                .retryBudget(BUDGET_PERCENT, BUDGET_MIN_PER_SECOND, BUDGET_TTL)
                .protectionListener(listener)
                .build();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aTotalOutageOpensTheBreakerKeepsTheOriginUnderTheBudgetsBoundAndRecoveryClosesIt(Sending sending)
            throws Exception {
        ProtectionEvents events = new ProtectionEvents();
        RetryPolicy policy = policy(events);
        FailedAttempts failedAttempts = new FailedAttempts();
        URI host = origin.uri("/");
        List<FailureReport> failures = new ArrayList<>();
        int succeeded = 0;
        int recoveryCalls = 0;
        boolean recovered = false;
        try (ResilientHttpClient client = Clients.resilient(policy).listener(failedAttempts).build()) {
            for (int call = 0; call < CALLS; call++) {
                try {
                    sending.call(client, article(call), BodyHandlers.ofString());
                    succeeded++;
                } catch (HttpFailureException e) {
                    failures.add(e.report());
                }
            }
            int outageSeen = origin.requests().size();
            List<String> outageTransitions = events.transitions();

            origin.server().stubFor(get(urlPathMatching("/articles/.*")).willReturn(ok("back")));
            long recoveryStarted = System.nanoTime();
            long pollUntil = recoveryStarted + RECOVERY_BOUND.toNanos();
            while (!recovered && System.nanoTime() - pollUntil < 0) {
                recoveryCalls++;
                try {
                    HttpResponse<String> response = sending.call(client, article(CALLS + recoveryCalls),
                            BodyHandlers.ofString());
                    recovered = response.statusCode() == 200 && policy.circuitState(host) == CircuitState.CLOSED;
                } catch (HttpFailureException e) {
                    assertThat(e.kind()).as(e.report().failReason()).isEqualTo(FailureKind.CIRCUIT_OPEN);
                }
                if (!recovered) {
                    LockSupport.parkNanos(POLL_INTERVAL.toNanos());
                }
            }
            long recoveryMillis = Duration.ofNanos(System.nanoTime() - recoveryStarted).toMillis();

            long refusedBeforeAnyAttempt = failures.stream()
                    .filter(report -> report.kind() == FailureKind.CIRCUIT_OPEN && report.attempts() == 0).count();
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("calls", CALLS);
            facts.put("succeeded", succeeded);
            facts.put("origin-seen", outageSeen);
            facts.put("bound", ORIGIN_BOUND + " (" + CALLS + " x " + (1 + BUDGET_PERCENT) + " + "
                    + BUDGET_MIN_PER_SECOND + "/s x " + BUDGET_TTL.toSeconds() + " s)");
            facts.put("call-kinds", ProtectionNumbers.byKind(failures, FailureReport::kind));
            facts.put("refused-before-any-attempt", refusedBeforeAnyAttempt);
            facts.put("attempt-kinds", failedAttempts.byKind());
            facts.put("transitions-in-outage", outageTransitions);
            facts.put("recovery-calls", recoveryCalls);
            facts.put("recovery-ms", recoveryMillis);
            facts.put("transitions", events.transitions());
            NUMBERS.record(SCENARIO, "resilient-http " + sending, facts);

            assertThat(failedAttempts.byKind()).as("the outage, as the client saw it")
                    .containsOnlyKeys(FailureKind.CONNECTION_RESET);
            assertThat(succeeded).isZero();
            assertThat((long) outageSeen).as("requests the origin saw in the outage")
                    .isPositive().isLessThanOrEqualTo(ORIGIN_BOUND);
            assertThat(outageTransitions).as("the breaker opened").startsWith("CLOSED->OPEN");
            assertThat(refusedBeforeAnyAttempt).as("calls the open breaker refused with no traffic")
                    .isGreaterThanOrEqualTo(CALLS / 2);
            assertThat(failures).filteredOn(report -> report.attempts() == 0).allSatisfy(report -> {
                assertThat(report.kind()).as(report.failReason()).isEqualTo(FailureKind.CIRCUIT_OPEN);
                assertThat(report.outcome()).as(report.failReason()).isEqualTo(Outcome.NOT_SENT);
            });
            assertThat(failures).extracting(FailureReport::kind).isSubsetOf(FailureKind.CONNECTION_RESET,
                    FailureKind.CIRCUIT_OPEN, FailureKind.RETRY_BUDGET_EXHAUSTED);
            assertThat(events.count("refused 127.0.0.1:" + origin.port() + " CIRCUIT_OPEN"))
                    .isGreaterThanOrEqualTo(refusedBeforeAnyAttempt);

            assertThat(recovered).as("a call succeeded with the breaker CLOSED within %s; transitions %s",
                    RECOVERY_BOUND, events.transitions()).isTrue();
            assertThat(policy.circuitState(host)).isEqualTo(CircuitState.CLOSED);
            List<String> transitions = events.transitions();
            assertThat(transitions).contains("OPEN->HALF_OPEN").endsWith("HALF_OPEN->CLOSED");
        }
    }
}
