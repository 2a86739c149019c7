package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.spi.Call;
import dev.resilienthttp.core.spi.CallPolicy;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ListenerAndCancellationTest {

    @Test
    void aListenerThatThrowsDoesNotBreakTheCall() throws Exception {
        HttpEventListener throwing = new HttpEventListener() {
            @Override
            public void attemptStarted(HttpRequest request, int attempt) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder()
                     .userAgent("core-tests/1.0 (ops@example.org)").listener(throwing).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/")).build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theListenerHearsOfAnAsyncSuccessBeforeTheCallersStagesRun() throws Exception {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
                events.add("callSucceeded " + request.uri().getPath());
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder()
                     .userAgent("core-tests/1.0 (ops@example.org)").listener(listener).build()) {
            for (int i = 0; i < 50; i++) {
                String path = "/" + i;
                client.sendAsync(HttpRequest.newBuilder(server.uri(path)).build(), BodyHandlers.ofString())
                        .thenRun(() -> events.add("caller " + path)).get(10, TimeUnit.SECONDS);
            }
        }
        for (int i = 0; i < 50; i++) {
            assertThat(events.indexOf("callSucceeded /" + i)).as("call %d", i).isNotNegative()
                    .isLessThan(events.indexOf("caller /" + i));
        }
    }

    /**
     * A caller's cancel while the listener hears how the attempt ended is heard after it, never in the middle of it:
     * the call's end is told under the same lock as the attempt's. (Whichever of the cancel and the attempt's failure
     * takes the lock first ends the call; there is one end.)
     */
    @Test
    void aCancelWhileTheListenerHearsTheAttemptsEndIsHeardAfterIt() throws Exception {
        CountDownLatch inAttemptFailed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> events = new ConcurrentLinkedQueue<>();
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                events.add("attemptFailed");
                inAttemptFailed.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);   // bounded: a failing test still ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("attemptFailed returned");
            }

            @Override
            public void callEnded(HttpRequest request, int attempts, Throwable cause) {
                events.add("callEnded " + cause.getClass().getSimpleName());
            }

            @Override
            public void callFailed(HttpRequest request, FailureReport report) {
                events.add("callFailed " + report.kind());
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetBeforeResponse());
             ResilientHttpClient client = ResilientHttpClient.builder().preferHttp1()
                     .userAgent("core-tests/1.0 (ops@example.org)").listener(listener).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(
                    HttpRequest.newBuilder(server.uri("/a")).build(), BodyHandlers.ofString());
            assertThat(inAttemptFailed.await(10, TimeUnit.SECONDS)).as("the listener hears the reset").isTrue();
            Thread canceller = new Thread(() -> call.cancel(true), "canceller");
            canceller.start();
            try {
                // Until the cancel waits for the lock, is told, or returned: if it is told now, it came in the middle.
                Await.until("the cancel waits, is told, or returned", Duration.ofSeconds(10),
                        () -> canceller.getState() == Thread.State.BLOCKED || !canceller.isAlive()
                                || events.stream().anyMatch(event -> event.startsWith("call")));
            } finally {
                release.countDown();
                canceller.join(10_000);
            }
            Await.until("the call ended", Duration.ofSeconds(10),
                    () -> events.stream().anyMatch(event -> event.startsWith("call")));

            assertThat(events).hasSize(3).startsWith("attemptFailed", "attemptFailed returned");
            assertThat(List.copyOf(events).get(2)).isIn("callEnded CancellationException",
                    "callFailed " + FailureKind.CONNECTION_RESET);
        }
    }

    @Test
    void theClientSendsItsUserAgentUnlessTheRequestHasOne() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder()
                     .userAgent("article-enricher/2.0 (ops@example.org)").build()) {
            client.send(HttpRequest.newBuilder(server.uri("/a")).build(), BodyHandlers.ofString());
            client.send(HttpRequest.newBuilder(server.uri("/b")).header("User-Agent", "special/1 (x@example.org)")
                    .build(), BodyHandlers.ofString());
            assertThat(server.requests()).extracting(r -> r.header("User-Agent").orElse(""))
                    .containsExactly("article-enricher/2.0 (ops@example.org)", "special/1 (x@example.org)");
        }
    }

    @Test
    void cancellingAnAsyncCallCancelsTheAttemptInFlightAndStartsNoOther() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.silent());
             ResilientHttpClient client = ResilientHttpClient.builder()
                     .userAgent("core-tests/1.0 (ops@example.org)").listener(listener).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(
                    HttpRequest.newBuilder(server.uri("/slow")).header("Idempotency-Key", "k").build(),
                    BodyHandlers.ofString());
            server.awaitRequests(1, Duration.ofSeconds(10));

            assertThat(call.cancel(true)).isTrue();

            Await.until("the server sees the attempt's connection closed", Duration.ofSeconds(10),
                    () -> server.openConnections() == 0);
            assertThat(server.requestCount()).isEqualTo(1);
            assertThat(listener.events()).filteredOn(e -> e.startsWith("attemptStarted")).hasSize(1);
            Await.until("the call's terminal event", Duration.ofSeconds(10),
                    () -> listener.events().stream().anyMatch(e -> e.startsWith("call") && !e.startsWith("callStarted")));
            assertThat(listener.events()).filteredOn(e -> e.startsWith("call") && !e.startsWith("callStarted"))
                    .containsExactly("callEnded CancellationException 1");
        }
    }

    @Test
    void interruptingABlockedSendCancelsTheAttemptInFlightAndThrowsInterruptedException() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.silent());
             ResilientHttpClient client = ResilientHttpClient.builder()
                     .userAgent("core-tests/1.0 (ops@example.org)").listener(listener).build()) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    client.send(HttpRequest.newBuilder(server.uri("/slow")).build(), BodyHandlers.ofString());
                    thrown.complete(null);
                } catch (Throwable e) {
                    thrown.complete(e);
                }
            }, "blocked-caller");
            caller.start();
            try {
                server.awaitRequests(1, Duration.ofSeconds(10));

                caller.interrupt();

                assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
                Await.until("the server sees the attempt's connection closed", Duration.ofSeconds(10),
                        () -> server.openConnections() == 0);
                assertThat(server.requestCount()).isEqualTo(1);
                assertThat(listener.events()).last().isEqualTo("callEnded InterruptedException 1");
            } finally {
                caller.interrupt();
                caller.join(10_000);
            }
        }
    }

    /**
     * A policy's bug that throws an {@code Error} at once still ends the call once: {@code send} throws it, as it
     * throws whatever the policy throws, and {@code sendAsync} fails its future with it, as it does with what the
     * policy's future completes with.
     */
    @Test
    void anErrorThePolicyThrowsEndsTheCallWithOneTerminalEventThroughSendAndSendAsync() throws Exception {
        RecordingListener listener = new RecordingListener();
        CallPolicy broken = new CallPolicy() {
            @Override
            public Optional<FailureKind> classify(HttpResponse.ResponseInfo response) {
                return Optional.empty();
            }

            @Override
            public <T> HttpResponse<T> execute(Call<T> call) {
                throw new AssertionError("the policy's bug");
            }

            @Override
            public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
                throw new AssertionError("the policy's bug");
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                     .retry(broken).listener(listener).build()) {
            HttpRequest request = HttpRequest.newBuilder(server.uri("/")).build();

            Throwable sync = catchThrowable(() -> client.send(request, BodyHandlers.ofString()));
            CompletableFuture<HttpResponse<String>> future = client.sendAsync(request, BodyHandlers.ofString());
            Throwable async = catchThrowable(() -> future.get(10, TimeUnit.SECONDS));

            assertThat(sync).isInstanceOf(AssertionError.class).hasMessage("the policy's bug");
            assertThat(async).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AssertionError.class);
            assertThat(listener.events()).containsExactly("callStarted GET", "callEnded AssertionError 0",
                    "callStarted GET", "callEnded AssertionError 0");
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void aCallOnAClosedClientEndsWithOneTerminalEventThroughSendAndSendAsync() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            ResilientHttpClient client = ResilientHttpClient.builder()
                    .userAgent("core-tests/1.0 (ops@example.org)").listener(listener).build();
            client.close();
            HttpRequest request = HttpRequest.newBuilder(server.uri("/")).build();

            Throwable sync = catchThrowable(
                    () -> client.send(request, BodyHandlers.ofString()));
            Throwable async = catchThrowable(
                    () -> client.sendAsync(request, BodyHandlers.ofString()).get(10, TimeUnit.SECONDS));

            assertThat(sync).isInstanceOf(ClientClosedException.class);
            assertThat(async).hasCauseInstanceOf(ClientClosedException.class);
            assertThat(listener.events()).filteredOn(e -> e.startsWith("call"))
                    .containsExactly("callStarted GET", "callEnded ClientClosedException 0",
                            "callStarted GET", "callEnded ClientClosedException 0");
            assertThat(server.requestCount()).isZero();
        }
    }
}
