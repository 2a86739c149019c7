package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No attempt is unbounded, with or without a policy: the read-idle timeout ends a body that stalls after the
 * headers, a body that keeps coming is not cut, and the bounds hold when the watchdog's thread dies or cannot be
 * started at all.
 */
@Timeout(60)
class ReadIdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(300);

    /** Whether the caller uses {@code send} or {@code sendAsync}. */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void aBodyThatStallsAfterTheHeadersEndsWithinTheReadIdleTimeoutWithNoPolicy(Sending path) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ResilientHttpClient client = client().readIdleTimeout(IDLE).build()) {
            long started = System.nanoTime();
            HttpFailureException failure = failure(path, client, server);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(failure.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT);
            assertThat(failure.getCause()).isInstanceOf(java.net.http.HttpTimeoutException.class);
            assertThat(failure.report().failReason()).contains("read-idle timeout");
            assertThat(took).as("ended by the 0.3 s read-idle timeout, not the 30 s request timeout")
                    .isGreaterThanOrEqualTo(IDLE).isLessThan(Duration.ofSeconds(10));
            Await.until("the server sees the stalled connection closed", Duration.ofSeconds(10),
                    () -> server.openConnections() == 0);
        }
    }

    /** The headers came before the body stalled: the server processed the request, whatever the timeout says. */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void aSuccessWhoseBodyStallsIsATimeoutOfARequestTheServerProcessed(Sending path) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ResilientHttpClient client = client().readIdleTimeout(IDLE).build()) {
            HttpFailureException failure = path.failure(client, HttpRequest.newBuilder(server.uri("/body"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());

            assertThat(failure.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT);
            assertThat(failure.report().timeline().get(0).outcome()).isEqualTo(Outcome.PROCESSED);
            assertThat(failure.report().outcome()).isEqualTo(Outcome.PROCESSED);
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aSlowButSteadyBodyIsNotCutByTheReadIdleTimeout(Sending path) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.trickle(30, Duration.ofMillis(100)));
             ResilientHttpClient client = client().readIdleTimeout(Duration.ofSeconds(1)).build()) {
            long started = System.nanoTime();
            HttpResponse<String> response = path == Sending.SEND
                    ? client.send(request(server), BodyHandlers.ofString())
                    : client.sendAsync(request(server), BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);

            assertThat(response.body()).isEqualTo("x".repeat(30));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("3 s of body, three times the idle timeout, never a second without a byte (a byte every 0.1 s: "
                            + "a loaded machine may hold one up for most of a second)")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void afterTheWatchdogsThreadIsKilledTheNextAttemptsStillEndAtTheirDeadlines(Sending path) throws Exception {
        try (ScriptedHttpServer stalled = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ScriptedHttpServer silent = ScriptedHttpServer.start(Behaviour.silent());
             ResilientHttpClient client = client().readIdleTimeout(IDLE).requestTimeout(IDLE).build()) {
            assertThat(DeadlineWatchdog.INSTANCE.watch(new DeadlineWatchdog.Entry() {
                @Override
                void expire() {
                }
            }, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isTrue();
            Thread killed = DeadlineWatchdog.INSTANCE.threadForTests();
            DeadlineWatchdog.INSTANCE.killThreadForTests();
            killed.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(killed.isAlive()).as("the test hook killed the thread").isFalse();

            for (ScriptedHttpServer server : new ScriptedHttpServer[] {stalled, silent, stalled}) {
                long started = System.nanoTime();
                assertThat(failure(path, client, server).kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void withNoWatchdogThreadAnAttemptStillEndsAtItsBackstop(Sending path) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ResilientHttpClient client = client().readIdleTimeout(IDLE).requestTimeout(IDLE).build()) {
            Await.until("no watchdog thread left from other tests", Duration.ofSeconds(15),
                    () -> !DeadlineWatchdog.INSTANCE.threadAlive());
            DeadlineWatchdog.INSTANCE.refuseThreadsForTests(true);
            HttpFailureException failure;
            long started = System.nanoTime();
            try {
                failure = failure(path, client, server);
            } finally {
                DeadlineWatchdog.INSTANCE.refuseThreadsForTests(false);
            }
            assertThat(failure.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT);
            assertThat(failure.report().failReason()).contains("backstop");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("the request timeout plus the read-idle timeout, 0.6 s").isLessThan(Duration.ofSeconds(10));
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    void aFrozenClockDoesNotKeepAStalledAttemptAlive() throws Exception {
        Clock frozen = Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC);
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ResilientHttpClient client = client().clock(frozen).readIdleTimeout(IDLE).build()) {
            long started = System.nanoTime();
            assertThat(failure(Sending.SEND, client, server).kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("deadlines are kept in real time").isLessThan(Duration.ofSeconds(10));
        }
    }

    private static HttpFailureException failure(Sending path, ResilientHttpClient client, ScriptedHttpServer server) {
        return path.failure(client, request(server), BodyHandlers.ofString());
    }

    private static HttpRequest request(ScriptedHttpServer server) {
        return HttpRequest.newBuilder(server.uri("/body")).build();
    }

    private static ResilientHttpClientBuilder client() {
        return ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)");
    }
}
