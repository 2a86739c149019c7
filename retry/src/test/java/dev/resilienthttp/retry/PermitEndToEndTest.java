package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Whatever ends an attempt, the circuit breaker's permission it was admitted with is given back or recorded. The
 * breaker here lets exactly one probe through when half-open, and stays half-open until that probe is recorded:
 * a permission lost by one call would refuse every later call for good. Each test opens the breaker with two
 * resets, lets its 1 ms open time pass, ends the half-open probe's attempt in one of the ways a caller or the
 * client can, and then shows that the next call still goes through to the origin and closes the breaker.
 */
class PermitEndToEndTest {
    private static final Duration SLOW = Duration.ofSeconds(20);
    private static final Duration BOUND = Duration.ofSeconds(10);

    private WireMockOrigin origin;
    private final ProtectionEvents events = new ProtectionEvents();

    @BeforeEach
    void startOrigin() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get(urlPathEqualTo("/fail")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        origin.server().stubFor(get(urlPathEqualTo("/slow")).willReturn(ok("late").withFixedDelay((int) SLOW.toMillis())));
        origin.server().stubFor(get(urlPathEqualTo("/ok")).willReturn(ok("fine")));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private RetryPolicyBuilder oneProbeBreaker() {
        return RetryPolicy.builder().maxAttempts(1).noRetryBudget().noForbiddenLatch()
                .circuitBreaker(0.5, 2, Duration.ofMillis(1), 1).protectionListener(events);
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(origin.uri(path)).GET().build();
    }

    /** Two resets open the breaker; its open time (1 ms) is let pass, so the next admission is the probe. */
    private void openTheBreaker(ResilientHttpClient client, RetryPolicy policy) {
        for (int i = 0; i < 2; i++) {
            assertThat(catchThrowable(() -> client.send(request("/fail"), BodyHandlers.ofString())))
                    .isInstanceOf(HttpFailureException.class);
        }
        assertThat(policy.circuitState(origin.uri("/"))).isEqualTo(CircuitState.OPEN);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));   // past the open time, not an assertion's wait
    }

    /** The call after the probe's end reaches the origin, succeeds, and the breaker closes. */
    private void theNextCallStillProbes(ResilientHttpClient client, RetryPolicy policy, Sending sending)
            throws Exception {
        int before = countOf("/ok");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));   // a recorded failure reopens it for 1 ms
        HttpResponse<String> response = sending.call(client, request("/ok"), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(countOf("/ok")).isEqualTo(before + 1);
        assertThat(policy.circuitState(origin.uri("/"))).isEqualTo(CircuitState.CLOSED);
        assertThat(events.count("refused")).as("no call was refused as CIRCUIT_OPEN").isZero();
    }

    private int countOf(String path) {
        return (int) origin.requests().stream().filter(r -> r.getUrl().equals(path)).count();
    }

    private void awaitRequestTo(String path) throws InterruptedException {
        Await.until("the origin saw " + path, BOUND, () -> countOf(path) > 0);
    }

    @Test
    void aHalfOpenBreakerStillProbesAfterItsProbeWasInterruptedInSend() throws Exception {
        RetryPolicy policy = oneProbeBreaker().build();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            openTheBreaker(client, policy);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller = new Thread(() -> thrown.complete(catchThrowable(
                    () -> client.send(request("/slow"), BodyHandlers.ofString()))), "probe-caller");
            caller.start();
            try {
                awaitRequestTo("/slow");
                caller.interrupt();
                assertThat(thrown.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            } finally {
                caller.interrupt();
                caller.join(BOUND.toMillis());
            }

            theNextCallStillProbes(client, policy, Sending.SEND);
        }
    }

    @Test
    void aHalfOpenBreakerStillProbesAfterItsProbeWasCancelledInSendAsync() throws Exception {
        RetryPolicy policy = oneProbeBreaker().build();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            openTheBreaker(client, policy);
            CompletableFuture<HttpResponse<String>> probe = client.sendAsync(request("/slow"), BodyHandlers.ofString());
            awaitRequestTo("/slow");

            assertThat(probe.cancel(true)).isTrue();

            theNextCallStillProbes(client, policy, Sending.SEND_ASYNC);
        }
    }

    @Test
    void aHalfOpenBreakerStillProbesAfterItsProbeWasInterruptedWaitingForTheRateLimiter() throws Exception {
        RetryPolicy policy = oneProbeBreaker().rateLimit(1, 1).build();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            openTheBreaker(client, policy);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller = new Thread(() -> thrown.complete(catchThrowable(
                    () -> client.send(request("/ok"), BodyHandlers.ofString()))), "rate-limited-caller");
            caller.start();
            try {
                // The limiter's second slot is up to a second away: the caller is parked in that wait.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                caller.interrupt();
                Throwable interrupted = thrown.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                assertThat(interrupted).isInstanceOf(InterruptedException.class);
            } finally {
                caller.interrupt();
                caller.join(BOUND.toMillis());
            }
            assertThat(countOf("/ok")).as("the interrupted call sent nothing").isZero();

            theNextCallStillProbes(client, policy, Sending.SEND);
        }
    }

    @Test
    void aHalfOpenBreakerStillProbesAfterItsProbeWasCancelledWaitingForTheRateLimiter() throws Exception {
        RetryPolicy policy = oneProbeBreaker().rateLimit(1, 1).build();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            openTheBreaker(client, policy);
            CompletableFuture<HttpResponse<String>> probe = client.sendAsync(request("/ok"), BodyHandlers.ofString());
            // The limiter's second slot is up to a second away: the probe waits for it, holding the breaker's one
            // probe permission.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));

            assertThat(probe.cancel(true)).isTrue();

            assertThat(countOf("/ok")).as("the cancelled call sent nothing").isZero();
            theNextCallStillProbes(client, policy, Sending.SEND_ASYNC);
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aHalfOpenBreakerStillProbesAfterItsProbeMetAClosedClient(Sending sending) throws Exception {
        RetryPolicy policy = oneProbeBreaker().build();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            openTheBreaker(client, policy);
            ResilientHttpClient closed = Clients.resilient(policy).build();
            closed.close();

            assertThat(catchThrowable(() -> sending.call(closed, request("/ok"), BodyHandlers.ofString())))
                    .isInstanceOf(IllegalStateException.class);

            theNextCallStillProbes(client, policy, sending);
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aHalfOpenBreakerStillProbesAfterItsProbesBodyHandlerThrew(Sending sending) throws Exception {
        RetryPolicy policy = oneProbeBreaker().build();
        BodyHandler<String> broken = info -> {
            throw new IllegalStateException("a body handler's bug");
        };
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            openTheBreaker(client, policy);

            assertThat(catchThrowable(() -> sending.call(client, request("/ok"), broken))).isNotNull();

            theNextCallStillProbes(client, policy, sending);
        }
    }

    @Test
    void aCallRefusedByTheOpenBreakerIsNotSentAndSaysSo() throws Exception {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(1).noRetryBudget().noForbiddenLatch()
                .circuitBreaker(0.5, 2, Duration.ofMinutes(5), 1).protectionListener(events).build();
        try (ResilientHttpClient client = Clients.resilient(policy).build()) {
            for (int i = 0; i < 2; i++) {
                catchThrowable(() -> client.send(request("/fail"), BodyHandlers.ofString()));
            }
            HttpFailureException refused = (HttpFailureException) catchThrowable(
                    () -> client.send(request("/ok"), BodyHandlers.ofString()));

            assertThat(refused.kind()).isEqualTo(FailureKind.CIRCUIT_OPEN);
            assertThat(countOf("/ok")).isZero();
        }
    }
}
