package dev.resilienthttp.retry;

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

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The 403 latch end to end, with WireMock as an origin that has blocked this client: it answers 403 to every
 * request. Under the standard policy (one retry after a 403; the latch closes after 20 consecutive 403s) the client
 * stops calling long before it has spent its 50 calls, and stays stopped, whatever the origin does, until a person
 * calls {@link RetryPolicy#unblock}. Each scenario runs through {@code send} and {@code sendAsync}.
 */
class ForbiddenLatchProtectionEndToEndTest {
    private static final ProtectionNumbers NUMBERS = new ProtectionNumbers();
    private static final String SCENARIO = "50 sequential GETs to an origin answering 403 to every request, "
            + "standard policy";
    private static final int CALLS = 50;
    /** The bound: a blocked client may knock 25 times, not 50 (or 100, with its 403 retries). */
    private static final int ORIGIN_BOUND = 25;

    private WireMockOrigin origin;

    @BeforeEach
    void startAnOriginThatForbidsEverything() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get(urlPathMatching("/articles/.*")).willReturn(aResponse().withStatus(403)));
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

    private static FailureReport failureOf(Sending sending, ResilientHttpClient client, HttpRequest request) {
        Throwable thrown = catchThrowable(() -> sending.call(client, request, BodyHandlers.ofString()));
        assertThat(thrown).as("a call to a host that answers only 403").isInstanceOf(HttpFailureException.class);
        return ((HttpFailureException) thrown).report();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aHostAnsweringOnly403IsLatchedBlockedWithinTwentyFiveRequestsAndCalledAgainOnlyOnceUnblocked(
            Sending sending) throws Exception {
        ProtectionEvents events = new ProtectionEvents();
        RetryPolicy policy = RetryPolicy.builder().protectionListener(events).build();
        String host = "127.0.0.1:" + origin.port();

        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            List<FailureReport> failures = new ArrayList<>();
            for (int call = 0; call < CALLS; call++) {
                failures.add(failureOf(sending, client, article(call)));
            }
            int originSeen = origin.requests().size();
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("calls", CALLS);
            facts.put("origin-seen", originSeen);
            facts.put("bound", ORIGIN_BOUND);
            facts.put("call-kinds", ProtectionNumbers.byKind(failures, FailureReport::kind));
            facts.put("first-blocked-call", failures.stream().map(FailureReport::kind).toList()
                    .indexOf(FailureKind.BLOCKED) + 1);
            NUMBERS.record(SCENARIO, "resilient-http " + sending, facts);

            assertThat(originSeen).as("requests the blocked client still sent").isLessThanOrEqualTo(ORIGIN_BOUND);
            assertThat(failures.get(0).kind()).isEqualTo(FailureKind.FORBIDDEN);
            assertThat(failures.get(CALLS - 1).kind()).isEqualTo(FailureKind.BLOCKED);
            List<FailureKind> kinds = failures.stream().map(FailureReport::kind).toList();
            int firstBlocked = kinds.indexOf(FailureKind.BLOCKED);
            assertThat(kinds.subList(0, firstBlocked)).as("before the latch").containsOnly(FailureKind.FORBIDDEN);
            assertThat(kinds.subList(firstBlocked, CALLS)).as("once latched, it stays latched")
                    .containsOnly(FailureKind.BLOCKED);
            assertThat(failures.subList(firstBlocked, CALLS)).allSatisfy(blocked -> {
                assertThat(blocked.attempts()).as(blocked.failReason()).isZero();
                assertThat(blocked.outcome()).as(blocked.failReason()).isEqualTo(Outcome.NOT_SENT);
                assertThat(blocked.failReason()).contains("a person must contact the API operators")
                        .contains("unblock(\"" + host + "\")");
            });
            assertThat(events.count("blocked ")).as("hostBlocked, in %s", events).isEqualTo(1);
            assertThat(events.count("blocked " + host)).isEqualTo(1);
            assertThat(events.count("refused " + host + " BLOCKED")).isEqualTo(CALLS - firstBlocked);
            assertThat(policy.blockedHosts()).containsExactly(host);

            // The operators lift the block: the origin answers again, but the client waits for a person.
            origin.server().stubFor(get(urlPathMatching("/articles/.*")).willReturn(ok("welcome back")));
            assertThat(failureOf(sending, client, article(CALLS)).kind())
                    .as("a recovered origin does not lift the latch by itself").isEqualTo(FailureKind.BLOCKED);
            assertThat(origin.requests()).hasSize(originSeen);

            assertThat(policy.unblock(origin.uri("/"))).as("unblock says the host was blocked").isTrue();
            assertThat(policy.blockedHosts()).isEmpty();
            HttpResponse<String> response = sending.call(client, article(CALLS + 1), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("welcome back");
            assertThat(events.count("unblocked " + host)).isEqualTo(1);
            assertThat(origin.requests()).hasSize(originSeen + 1);
        }
    }
}
