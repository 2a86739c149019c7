package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.spi.AttemptResult;
import dev.resilienthttp.core.spi.Call;
import dev.resilienthttp.core.spi.CallPolicy;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A policy's bound on one attempt ({@link Call#attempt(Duration, Duration)}) holds for the whole exchange: the
 * headers and the body, on both the blocking and the asynchronous path.
 */
@Timeout(30)
class AttemptTimeoutTest {
    private static final Duration BOUND = Duration.ofMillis(700);

    /** Whether the policy makes its attempt on the calling thread or asynchronously. */
    enum Path { BLOCKING, ASYNC }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aServerThatNeverAnswersFailsTheAttemptAtItsBoundNotAtTheRequestTimeout(Path path) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.silent());
             ResilientHttpClient client = client(path)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.send(request(server), BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(HttpFailureException.class,
                            failure -> assertThat(failure.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("bounded by the policy's 0.7 s, not the request's 30 s").isLessThan(Duration.ofSeconds(10));
            assertThat(server.requestCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aBodyThatStallsAfterTheHeadersFailsTheAttemptAtItsBoundAndClosesTheConnection(Path path)
            throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ResilientHttpClient client = client(path)) {
            assertThat(timeToFailOnTheBody(client, server))
                    .as("a request timeout stops at the headers; the bound covers the body")
                    .isLessThan(Duration.ofSeconds(10));
            Await.until("the server sees the stalled connection closed", Duration.ofSeconds(10),
                    () -> server.openConnections() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aResponseWithinTheBoundIsReturnedWhole(Path path) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.ok());
             ResilientHttpClient client = client(path)) {
            HttpResponse<String> response = client.send(request(server), BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("ok");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void anAttemptThatEndsLeavesNothingForTheWatchdogWhateverCutTheBody(Path path) throws Exception {
        for (Behaviour cut : new Behaviour[] {Behaviour.resetAfterHeaders(10, 1000),
                Behaviour.closeAfterHeaders(10, 1000), Behaviour.resetBeforeResponse(), Behaviour.ok()}) {
            try (ScriptedHttpServer server = ScriptedHttpServer.start(cut);
                 ResilientHttpClient client = client(path)) {
                try {
                    client.send(request(server), BodyHandlers.ofString());
                } catch (HttpFailureException expected) {
                    // the cut bodies fail; what matters is what the watchdog still holds
                }
                assertThat(DeadlineWatchdog.INSTANCE.watched()).as("still watched after: " + cut).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aBoundLongerThanTheRequestTimeoutLetsTheBodyRunPastTheRequestTimeoutUpToTheBound(Path path)
            throws Exception {
        Duration bound = Duration.ofMillis(1500);
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                     .requestTimeout(Duration.ofMillis(300)).retry(new OneBoundedAttempt(path, bound)).build()) {
            assertThat(timeToFailOnTheBody(client, server))
                    .as("the 0.3 s request timeout bounds the headers, which came; the 1.5 s bound the body")
                    .isGreaterThanOrEqualTo(bound).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aBlockingAttemptThatTimedOutLeavesTheCallersThreadUninterruptedAndReadyForTheNextCall() throws Exception {
        try (ScriptedHttpServer stalled = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ScriptedHttpServer fine = ScriptedHttpServer.start(Behaviour.ok());
             ResilientHttpClient client = client(Path.BLOCKING)) {
            assertThatThrownBy(() -> client.send(request(stalled), BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(HttpFailureException.class,
                            failure -> assertThat(failure.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT));
            assertThat(Thread.currentThread().isInterrupted())
                    .as("the deadline interrupted the thread to stop the exchange, and took it back").isFalse();
            assertThat(client.send(request(fine), BodyHandlers.ofString()).body()).isEqualTo("ok");
        }
    }

    @Test
    void theCallersOwnInterruptDuringABoundedAttemptIsThrownAsAnInterruptNotATimeout() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                     .retry(new OneBoundedAttempt(Path.BLOCKING, Duration.ofSeconds(30))).build()) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    client.send(request(server), BodyHandlers.ofString());
                    thrown.complete(null);
                } catch (Throwable e) {
                    thrown.complete(e);
                }
            }, "interrupted-caller");
            caller.start();
            try {
                Await.until("the server has the request", Duration.ofSeconds(10),
                        () -> server.requestCount() == 1);
                caller.interrupt();
                assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            } finally {
                caller.interrupt();
                caller.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertThat(caller.isAlive()).isFalse();
        }
    }

    @Test
    void aListenerThatBlocksOnOneTimedOutAttemptDoesNotDelayTheTimeoutOfAnother() throws Exception {
        CountDownLatch listenerBlocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpEventListener blocking = new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                listenerBlocked.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.stallAfterHeaders(10, 1000));
             ResilientHttpClient slow = client(Path.ASYNC, blocking);
             ResilientHttpClient other = client(Path.BLOCKING, HttpEventListener.NONE)) {
            Thread first = new Thread(() -> sendIgnoringFailure(slow, server), "first-call");
            first.start();
            try {
                assertThat(listenerBlocked.await(10, TimeUnit.SECONDS))
                        .as("the first call timed out and its listener blocks").isTrue();
                long started = System.nanoTime();
                assertThatThrownBy(() -> other.send(request(server), BodyHandlers.ofString()))
                        .isInstanceOfSatisfying(HttpFailureException.class,
                                failure -> assertThat(failure.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT));
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("timed out at its own bound, while the first call's listener still blocks")
                        .isLessThan(Duration.ofSeconds(10));
                assertThat(release.getCount()).isEqualTo(1);
            } finally {
                release.countDown();
                first.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertThat(first.isAlive()).isFalse();
        }
    }

    private static void sendIgnoringFailure(ResilientHttpClient client, ScriptedHttpServer server) {
        try {
            client.send(request(server), BodyHandlers.ofString());
        } catch (IOException | InterruptedException expected) {
            // the body stalls: the call fails; the test watches the other call
        }
    }

    /** How long the call took to fail as a timeout of its body, which the server stalls. */
    private static Duration timeToFailOnTheBody(ResilientHttpClient client, ScriptedHttpServer server) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.send(request(server), BodyHandlers.ofString()))
                .isInstanceOfSatisfying(HttpFailureException.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT);
                    assertThat(failure.report().failReason()).contains("response body included");
                });
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static HttpRequest request(ScriptedHttpServer server) {
        return HttpRequest.newBuilder(server.uri("/bounded")).build();
    }

    private static ResilientHttpClient client(Path path) {
        return client(path, HttpEventListener.NONE);
    }

    private static ResilientHttpClient client(Path path, HttpEventListener listener) {
        return ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)").listener(listener)
                .retry(new OneBoundedAttempt(path, BOUND)).build();
    }

    /** One attempt within {@code bound}, made the way {@code path} says, whatever the caller used. */
    private static final class OneBoundedAttempt implements CallPolicy {
        private final Path path;
        private final Duration bound;

        OneBoundedAttempt(Path path, Duration bound) {
            this.path = path;
            this.bound = bound;
        }

        @Override
        public Optional<FailureKind> classify(HttpResponse.ResponseInfo response) {
            return Optional.empty();
        }

        @Override
        public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
            AttemptResult<T> result = path == Path.BLOCKING ? call.attempt(Duration.ZERO, bound)
                    : awaited(call.attemptAsync(Duration.ZERO, bound));
            if (result.succeeded()) {
                return result.response().orElseThrow();
            }
            throw call.failure();
        }

        /** The attempt's result, waiting no longer than the test's own timeout would. */
        private static <T> AttemptResult<T> awaited(CompletableFuture<AttemptResult<T>> attempt)
                throws InterruptedException {
            try {
                return attempt.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the asynchronous attempt did not end with a result", e);
            }
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
            throw new UnsupportedOperationException("the tests call send");
        }
    }
}
