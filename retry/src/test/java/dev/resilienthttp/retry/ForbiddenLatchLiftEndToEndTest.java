package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Who may lift the 403 latch: a person ({@code unblock}) or the configured probe's own answer, and nothing else.
 * The operators' rule is that a blocked client stops until someone has talked to them; a success that was in
 * flight before the flood says nothing about that. The latch here closes after 3 consecutive 403s so that a flood
 * is three calls. Each scenario runs through {@code send} and {@code sendAsync}.
 */
class ForbiddenLatchLiftEndToEndTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private WireMockOrigin origin;
    private String host;
    private final ProtectionEvents events = new ProtectionEvents();

    @BeforeEach
    void startAnOriginThatForbidsArticles() {
        origin = WireMockOrigin.start();
        host = "127.0.0.1:" + origin.port();
        origin.server().stubFor(get(urlPathMatching("/articles/.*")).willReturn(aResponse().withStatus(403)));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(origin.uri(path)).GET().build();
    }

    private FailureKind kindOf(Sending sending, ResilientHttpClient client, String path) {
        Throwable thrown = catchThrowable(() -> sending.call(client, request(path), BodyHandlers.ofString()));
        assertThat(thrown).isInstanceOf(HttpFailureException.class);
        return ((HttpFailureException) thrown).kind();
    }

    private void flood(Sending sending, ResilientHttpClient client) {
        for (int i = 0; i < 3; i++) {
            assertThat(kindOf(sending, client, "/articles/" + i)).isEqualTo(FailureKind.FORBIDDEN);
        }
        assertThat(policyBlocked()).isTrue();
    }

    private RetryPolicy policy;

    private boolean policyBlocked() {
        return policy.blockedHosts().contains(host);
    }

    private void awaitRequestTo(String path) throws InterruptedException {
        Await.until("the origin saw " + path, BOUND, () -> origin.requests().stream().anyMatch(r -> r.getUrl().equals(path)));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aSuccessInFlightSinceBeforeTheFloodDoesNotLiftTheLatch(Sending sending) throws Exception {
        origin.server().stubFor(get(urlPathEqualTo("/slow")).willReturn(ok("late").withFixedDelay(1_500)));
        policy = RetryPolicy.builder().forbiddenRetries(0).forbiddenLatch(3, 0.9, 50).protectionListener(events)
                .build();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(request("/slow"), BodyHandlers.ofString());
            awaitRequestTo("/slow");
            flood(sending, client);

            assertThat(slow.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);

            int seen = origin.requests().size();
            assertThat(kindOf(sending, client, "/articles/next")).as("the next call fails fast")
                    .isEqualTo(FailureKind.BLOCKED);
            assertThat(origin.requests()).as("and sends nothing").hasSize(seen);
            assertThat(policy.blockedHosts()).containsExactly(host);
            assertThat(events.count("unblocked ")).isZero();

            assertThat(policy.unblock(host)).isTrue();
            assertThat(events.count("unblocked " + host)).as("one event for the one lift").isEqualTo(1);
            assertThat(policy.unblock(host)).as("a second unblock lifts nothing").isFalse();
            assertThat(events.count("unblocked ")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aProbeThatMeetsAResetFreesItsSlotAndTheNextProbesAnswerLiftsTheLatchOnce(Sending sending)
            throws Exception {
        policy = RetryPolicy.builder().maxAttempts(1).forbiddenRetries(0).forbiddenLatch(3, 0.9, 50)
                .forbiddenLatchProbe(Duration.ofMillis(50)).noCircuitBreaker().protectionListener(events).build();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            flood(sending, client);
            origin.server().stubFor(get(urlPathMatching("/articles/.*"))
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(80));   // past the probe interval

            assertThat(kindOf(sending, client, "/articles/probe-1")).as("the probe meets a reset")
                    .isIn(FailureKind.CONNECTION_RESET, FailureKind.STALE_CONNECTION);
            assertThat(policy.blockedHosts()).as("a reset says nothing of the 403s").containsExactly(host);

            origin.server().stubFor(get(urlPathMatching("/articles/.*")).willReturn(ok("welcome back")));
            HttpResponse<String> lifted = sending.call(client, request("/articles/probe-2"), BodyHandlers.ofString());

            assertThat(lifted.statusCode()).as("the slot was freed: the next call is the probe").isEqualTo(200);
            assertThat(policy.blockedHosts()).isEmpty();
            assertThat(events.count("unblocked " + host)).isEqualTo(1);
            assertThat(sending.call(client, request("/articles/after"), BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
    }
}
