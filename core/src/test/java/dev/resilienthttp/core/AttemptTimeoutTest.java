package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
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
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.send(request(server), BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(HttpFailureException.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT);
                        assertThat(failure.report().failReason()).contains("response body included");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("the JDK's own timeout stops at the headers; the bound covers the body")
                    .isLessThan(Duration.ofSeconds(10));
            Await.until("the server sees the stalled connection closed", Duration.ofSeconds(10), () -> { },
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

    private static HttpRequest request(ScriptedHttpServer server) {
        return HttpRequest.newBuilder(server.uri("/bounded")).build();
    }

    private static ResilientHttpClient client(Path path) {
        return ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                .retry(new OneBoundedAttempt(path)).build();
    }

    /** One attempt within {@link #BOUND}, made the way {@code path} says, whatever the caller used. */
    private static final class OneBoundedAttempt implements CallPolicy {
        private final Path path;

        OneBoundedAttempt(Path path) {
            this.path = path;
        }

        @Override
        public Optional<FailureKind> classify(HttpResponse<?> response) {
            return Optional.empty();
        }

        @Override
        public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
            AttemptResult<T> result = path == Path.BLOCKING ? call.attempt(Duration.ZERO, BOUND)
                    : awaited(call.attemptAsync(Duration.ZERO, BOUND));
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
