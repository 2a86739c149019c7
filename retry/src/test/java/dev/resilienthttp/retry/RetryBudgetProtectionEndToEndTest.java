package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The retry budget end to end: {@code retryBudget(0.0, 1, 10 s)} allows no retries in proportion to the requests,
 * only its reserve of 1 a second over 10 s, that is 10 retries; WireMock answers 503 to everything. 30 calls: the
 * first ones spend the reserve, the later ones end with {@code RETRY_BUDGET_EXHAUSTED} after their first attempt,
 * which the budget never refuses. The circuit breaker is off, so that nothing but the budget stops a retry (the
 * standard breaker would open after 20 failed attempts and refuse first attempts too).
 *
 * <p>Then the budget alone in a total outage, every request reset before any response byte: the origin must see no
 * more than the calls, the budget's share of them and its reserve. Each scenario runs through {@code send} and
 * {@code sendAsync}.
 */
class RetryBudgetProtectionEndToEndTest {
    private static final ProtectionNumbers NUMBERS = new ProtectionNumbers();
    private static final String SCENARIO = "retryBudget(0.0, 1/s, 10 s), 30 GETs to an origin answering 503";
    private static final int CALLS = 30;
    private static final double BUDGET_PERCENT = 0.0;
    private static final int BUDGET_MIN_PER_SECOND = 1;
    private static final Duration BUDGET_TTL = Duration.ofSeconds(10);
    /** Every call once, and the budget's reserve of retries. */
    private static final long ORIGIN_BOUND = CALLS + Math.round(CALLS * BUDGET_PERCENT)
            + BUDGET_MIN_PER_SECOND * BUDGET_TTL.toSeconds();
    private static final String OUTAGE_SCENARIO = "retryBudget(0.2, 5/s, 10 s) and no breaker, 100 GETs in a total "
            + "outage (every request reset)";
    private static final int OUTAGE_CALLS = 100;
    private static final double OUTAGE_PERCENT = 0.2;
    private static final int OUTAGE_MIN_PER_SECOND = 5;
    /** Every call once, the JDK's resend of it, the budget's share of the calls, and the budget's reserve. */
    private static final long OUTAGE_BOUND = Math.round(OUTAGE_CALLS * (2 + OUTAGE_PERCENT))
            + OUTAGE_MIN_PER_SECOND * BUDGET_TTL.toSeconds();

    private WireMockOrigin origin;

    @BeforeEach
    void startAnOriginThatIsUnavailable() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get(urlPathMatching("/articles/.*")).willReturn(aResponse().withStatus(503)));
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

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aSpentRetryBudgetEndsCallsAsRetryBudgetExhaustedButNeverRefusesAFirstAttempt(Sending sending) {
        ProtectionEvents events = new ProtectionEvents();
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .random(new Random(42)).noCircuitBreaker()
                .retryBudget(BUDGET_PERCENT, BUDGET_MIN_PER_SECOND, BUDGET_TTL)
                .protectionListener(events).build();
        List<FailureReport> failures = new ArrayList<>();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            for (int call = 0; call < CALLS; call++) {
                HttpRequest request = article(call);
                Throwable thrown = catchThrowable(() -> sending.call(client, request, BodyHandlers.ofString()));
                assertThat(thrown).as("a call to an origin answering 503").isInstanceOf(HttpFailureException.class);
                failures.add(((HttpFailureException) thrown).report());
            }
        }
        int originSeen = origin.requests().size();
        long exhausted = failures.stream().filter(report -> report.kind() == FailureKind.RETRY_BUDGET_EXHAUSTED)
                .count();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("calls", CALLS);
        facts.put("origin-seen", originSeen);
        facts.put("bound", ORIGIN_BOUND + " (" + CALLS + " + " + BUDGET_MIN_PER_SECOND + "/s x "
                + BUDGET_TTL.toSeconds() + " s)");
        facts.put("call-kinds", ProtectionNumbers.byKind(failures, FailureReport::kind));
        facts.put("attempts-per-call", failures.stream().map(FailureReport::attempts).toList());
        facts.put("budget-refusals-heard", events.count("budget refused"));
        NUMBERS.record(SCENARIO, "resilient-http " + sending, facts);

        assertThat(exhausted).as("calls the budget ended").isPositive();
        assertThat(failures).as("no first attempt is refused").allSatisfy(report ->
                assertThat(report.attempts()).as(report.failReason()).isPositive());
        assertThat(originSeen).as("requests the origin saw").isGreaterThanOrEqualTo(CALLS)
                .isLessThanOrEqualTo((int) ORIGIN_BOUND);
        assertThat(failures).extracting(FailureReport::kind)
                .containsOnly(FailureKind.SERVER_ERROR, FailureKind.RETRY_BUDGET_EXHAUSTED);
        assertThat(failures).filteredOn(report -> report.kind() == FailureKind.RETRY_BUDGET_EXHAUSTED)
                .allSatisfy(report -> assertThat(report.failReason()).contains("retry budget"));
        assertThat(events.count("budget refused 127.0.0.1:" + origin.port())).isEqualTo(exhausted);
    }

    /**
     * A GET reset before any response byte is re-sent once by the JDK's own {@code HttpClient}, on a fresh connection
     * as on a pooled one (core's {@code BrokenResponseFixtureTest} shows it), inside what core reports as one
     * attempt. Nothing can stop that resend, but the budget counts it: every request the origin sees beyond each
     * call's first request and the JDK's resend of it is within the budget.
     */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void inATotalOutageWithoutABreakerTheOriginSeesNoMoreThanTheCallsTheJdksResendsTheBudgetsShareAndItsReserve(Sending sending) {
        origin.server().stubFor(get(urlPathMatching("/articles/.*"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ProtectionEvents events = new ProtectionEvents();
        FailedAttempts failedAttempts = new FailedAttempts();
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .random(new Random(42)).noCircuitBreaker()
                .retryBudget(OUTAGE_PERCENT, OUTAGE_MIN_PER_SECOND, BUDGET_TTL)
                .protectionListener(events).build();
        List<FailureReport> failures = new ArrayList<>();
        try (ResilientHttpClient client = Clients.resilient(policy).listener(failedAttempts).build()) {
            for (int call = 0; call < OUTAGE_CALLS; call++) {
                HttpRequest request = article(call);
                Throwable thrown = catchThrowable(() -> sending.call(client, request, BodyHandlers.ofString()));
                assertThat(thrown).as("a call in a total outage").isInstanceOf(HttpFailureException.class);
                failures.add(((HttpFailureException) thrown).report());
            }
        }
        int originSeen = origin.requests().size();
        int attempts = failures.stream().mapToInt(FailureReport::attempts).sum();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("calls", OUTAGE_CALLS);
        facts.put("client-attempts", attempts);
        facts.put("origin-seen", originSeen);
        facts.put("bound", OUTAGE_BOUND + " (" + OUTAGE_CALLS + " x " + (2 + OUTAGE_PERCENT) + " + "
                + OUTAGE_MIN_PER_SECOND + "/s x " + BUDGET_TTL.toSeconds() + " s)");
        facts.put("call-kinds", ProtectionNumbers.byKind(failures, FailureReport::kind));
        facts.put("attempt-kinds", failedAttempts.byKind());
        NUMBERS.record(OUTAGE_SCENARIO, "resilient-http " + sending, facts);

        assertThat(failedAttempts.byKind()).as("the outage, as the client saw it")
                .containsOnlyKeys(FailureKind.CONNECTION_RESET);
        assertThat(failures).extracting(FailureReport::kind)
                .containsOnly(FailureKind.CONNECTION_RESET, FailureKind.RETRY_BUDGET_EXHAUSTED);
        assertThat((long) attempts).as("attempts the client made")
                .isLessThanOrEqualTo(Math.round(OUTAGE_CALLS * (1 + OUTAGE_PERCENT))
                        + OUTAGE_MIN_PER_SECOND * BUDGET_TTL.toSeconds());
        assertThat((long) originSeen).as("requests the origin saw, for %d attempts the client counted", attempts)
                .isLessThanOrEqualTo(OUTAGE_BOUND);
    }
}
