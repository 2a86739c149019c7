package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.core.spi.AttemptEnd;
import dev.resilienthttp.core.spi.AttemptResult;
import dev.resilienthttp.core.spi.Call;
import dev.resilienthttp.core.spi.CallInstrumentation;
import dev.resilienthttp.core.spi.CallPolicy;
import dev.resilienthttp.core.spi.Instrumentation;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class InstrumentationTest {
    private static final String AGENT = "core-tests/1.0 (ops@example.org)";

    @ParameterizedTest
    @EnumSource(Sending.class)
    void eachAttemptCarriesTheHeadersSetForItAndOnlyThose(Sending sending) throws Exception {
        Recording recording = new Recording();
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(AGENT)
                     .retry(new UpToThreeAttempts()).instrumentation(recording).build()) {
            server.enqueue(Behaviour.respond(503, Map.of(), "busy"), Behaviour.resetBeforeResponse());

            HttpResponse<String> response = sending.call(client, post(server, "/orders?token=abc")
                    .header("X-Attempt", "the caller's").build(), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(server.requests()).extracting(r -> r.headers().get("X-Attempt"))
                    .containsExactly(List.of("1"), List.of("2"), List.of("3"));
            assertThat(server.requests()).extracting(r -> r.header("X-Only-On-First").orElse("-"))
                    .containsExactly("first", "-", "-");
            assertThat(server.requests()).extracting(r -> r.header("User-Agent").orElse(""))
                    .containsOnly(AGENT);
            assertThat(recording.redactedUris).singleElement().asString()
                    .endsWith("/orders").doesNotContain("token", "abc");
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void eachAttemptsEndSaysWhatThePolicySawOfIt(Sending sending) throws Exception {
        Recording recording = new Recording();
        UpToThreeAttempts policy = new UpToThreeAttempts();
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(AGENT)
                     .retry(policy).instrumentation(recording).build()) {
            server.enqueue(Behaviour.respond(503, Map.of(), "busy"), Behaviour.resetBeforeResponse());

            sending.call(client, post(server, "/orders").build(), BodyHandlers.ofString());

            assertThat(recording.events).containsExactly("callStarted", "attemptStarting 1", "attemptEnded 1",
                    "attemptStarting 2", "attemptEnded 2", "attemptStarting 3", "attemptEnded 3", "callEnded 3 null");
            assertThat(recording.ends).hasSize(3);
            for (int i = 0; i < 3; i++) {
                AttemptEnd end = recording.ends.get(i);
                AttemptResult<?> seen = policy.results.get(i);
                assertThat(end.number()).isEqualTo(seen.number()).isEqualTo(i + 1);
                assertThat(end.statusCode()).isEqualTo(seen.statusCode());
                assertThat(end.kind()).isEqualTo(seen.kind());
                assertThat(end.outcome()).isEqualTo(seen.outcome());
                assertThat(end.exception()).isEqualTo(seen.exception().map(Throwable.class::cast));
                assertThat(end.waitedBefore()).isEqualTo(UpToThreeAttempts.waitBefore(i + 1));
                assertThat(end.generation()).isPositive();
                assertThat(end.duration()).isPositive();
            }
            assertThat(recording.ends.get(0).kind()).contains(FailureKind.SERVER_ERROR);
            assertThat(recording.ends.get(0).statusCode()).isEqualTo(503);
            assertThat(recording.ends.get(1).kind()).contains(FailureKind.CONNECTION_RESET);
            assertThat(recording.ends.get(1).outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
            assertThat(recording.ends.get(1).exceptionClass()).isNotEmpty()
                    .isNotEqualTo(IOException.class.getName());   // the cause the JDK wrapped, as the report names it
            assertThat(recording.ends.get(2).succeeded()).isTrue();
            assertThat(recording.ends.get(2).statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void theCallStartsOnTheCallersThread(Sending sending) throws Exception {
        Recording recording = new Recording();
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(AGENT)
                     .instrumentation(recording).build()) {
            sending.call(client, HttpRequest.newBuilder(server.uri("/")).build(), BodyHandlers.ofString());

            assertThat(recording.callStartedOn).containsExactly(Thread.currentThread());
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void anInstrumentationThatThrowsEverywhereDoesNotBreakTheCall(Sending sending) throws Exception {
        Instrumentation throwsAtStart = (request, uri) -> {
            throw new IllegalStateException("instrumentation bug");
        };
        CallInstrumentation throwsAfterSettingAHeader = new CallInstrumentation() {
            @Override
            public void attemptStarting(int attempt, BiConsumer<String, String> header) {
                header.accept("X-Half-Set", "yes");
                throw new IllegalStateException("instrumentation bug");
            }

            @Override
            public void attemptEnded(AttemptEnd end) {
                throw new IllegalStateException("instrumentation bug");
            }

            @Override
            public void callEnded(int attempts, Throwable failure) {
                throw new IllegalStateException("instrumentation bug");
            }
        };
        CallInstrumentation setsTheHost = new Recording.Attempts(new Recording()) {
            @Override
            public void attemptStarting(int attempt, BiConsumer<String, String> header) {
                header.accept("Host", "elsewhere.example.org");
            }
        };
        CallInstrumentation setsAValueTheJdkRefuses = new Recording.Attempts(new Recording()) {
            @Override
            public void attemptStarting(int attempt, BiConsumer<String, String> header) {
                header.accept("X-User", "\u674e");    // beyond Latin-1: the JDK's client would throw on it
            }
        };
        CallInstrumentation setsAControlCharacter = new Recording.Attempts(new Recording()) {
            @Override
            public void attemptStarting(int attempt, BiConsumer<String, String> header) {
                header.accept("X-User", "a\u0001b");
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            for (Instrumentation instrumentation : List.<Instrumentation>of(throwsAtStart,
                    (request, uri) -> throwsAfterSettingAHeader, (request, uri) -> setsTheHost,
                    (request, uri) -> setsAValueTheJdkRefuses, (request, uri) -> setsAControlCharacter)) {
                try (ResilientHttpClient client = ResilientHttpClient.builder().userAgent(AGENT)
                        .instrumentation(instrumentation).build()) {
                    HttpResponse<String> response = sending.call(client,
                            HttpRequest.newBuilder(server.uri("/")).build(), BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                }
            }
            assertThat(server.requests()).hasSize(5).allSatisfy(request -> {
                assertThat(request.header("X-Half-Set")).isEmpty();
                assertThat(request.header("X-User")).isEmpty();
                assertThat(request.header("Host")).hasValueSatisfying(host -> assertThat(host).startsWith("127.0.0.1"));
            });
        }
    }

    @Test
    void anAttemptCancelledInFlightStillEnds() throws Exception {
        Recording recording = new Recording();
        CompletableFuture<AttemptEnd> ended = new CompletableFuture<>();
        Instrumentation instrumentation = (request, uri) -> new Recording.Attempts(recording) {
            @Override
            public void attemptEnded(AttemptEnd end) {
                ended.complete(end);
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.silent());
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(AGENT)
                     .instrumentation(instrumentation).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(
                    HttpRequest.newBuilder(server.uri("/slow")).build(), BodyHandlers.ofString());
            server.awaitRequests(1, Duration.ofSeconds(10));

            call.cancel(true);

            AttemptEnd end = ended.get(10, TimeUnit.SECONDS);
            assertThat(end.number()).isEqualTo(1);
            assertThat(end.kind()).isEmpty();
            assertThat(end.succeeded()).isFalse();
            assertThat(end.exception()).containsInstanceOf(CancellationException.class);
            assertThat(end.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
        }
    }

    /**
     * A policy of the user's may complete the attempt's future itself, say with a timeout of its own: the exchange is
     * then stopped, and the attempt still ends, so that its span is ended and exported.
     */
    @Test
    void anAttemptWhoseFutureThePolicyTimesOutStillEndsAndItsExchangeStops() throws Exception {
        CompletableFuture<AttemptEnd> ended = new CompletableFuture<>();
        Instrumentation instrumentation = (request, uri) -> new Recording.Attempts(new Recording()) {
            @Override
            public void attemptEnded(AttemptEnd end) {
                ended.complete(end);
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.silent());
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(AGENT).retry(new TimesOutItself())
                     .instrumentation(instrumentation).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(
                    HttpRequest.newBuilder(server.uri("/slow")).build(), BodyHandlers.ofString());
            server.awaitRequests(1, Duration.ofSeconds(10));

            AttemptEnd end = ended.get(10, TimeUnit.SECONDS);
            assertThat(end.number()).isEqualTo(1);
            assertThat(end.succeeded()).isFalse();
            assertThat(end.exception()).containsInstanceOf(CancellationException.class);
            assertThat(catchThrowable(() -> call.get(10, TimeUnit.SECONDS)))
                    .hasCauseInstanceOf(TimeoutException.class);
            Await.until("the exchange's connection closed", Duration.ofSeconds(10),
                    () -> server.openConnections() == 0);
        }
    }

    /** One attempt, which the policy gives 200 ms through {@code orTimeout} on the future it was given. */
    private static final class TimesOutItself implements CallPolicy {
        @Override
        public Optional<FailureKind> classify(HttpResponse.ResponseInfo response) {
            return Optional.empty();
        }

        @Override
        public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
            return call.attempt(Duration.ZERO).successfulResponse();
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
            return call.attemptAsync(Duration.ZERO).orTimeout(200, TimeUnit.MILLISECONDS)
                    .thenApply(AttemptResult::successfulResponse);
        }
    }

    private static HttpRequest.Builder post(ScriptedHttpServer server, String path) {
        // A POST: the JDK re-sends no POST itself, so each attempt is one request on the wire.
        return HttpRequest.newBuilder(server.uri(path)).POST(BodyPublishers.ofString("{}"));
    }

    /** Writes every event down, and sets {@code X-Attempt} on each attempt and {@code X-Only-On-First} on the first. */
    private static class Recording implements Instrumentation {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<AttemptEnd> ends = new CopyOnWriteArrayList<>();
        final List<String> redactedUris = new CopyOnWriteArrayList<>();
        final List<Thread> callStartedOn = new CopyOnWriteArrayList<>();

        @Override
        public CallInstrumentation callStarted(HttpRequest request, String redactedUri) {
            events.add("callStarted");
            redactedUris.add(redactedUri);
            callStartedOn.add(Thread.currentThread());
            return new Attempts(this);
        }

        static class Attempts implements CallInstrumentation {
            private final Recording recording;

            Attempts(Recording recording) {
                this.recording = recording;
            }

            @Override
            public void attemptStarting(int attempt, BiConsumer<String, String> header) {
                recording.events.add("attemptStarting " + attempt);
                header.accept("X-Attempt", String.valueOf(attempt));
                if (attempt == 1) {
                    header.accept("X-Only-On-First", "first");
                }
            }

            @Override
            public void attemptEnded(AttemptEnd end) {
                recording.events.add("attemptEnded " + end.number());
                recording.ends.add(end);
            }

            @Override
            public void callEnded(int attempts, Throwable failure) {
                recording.events.add("callEnded " + attempts + " " + failure);
            }
        }
    }

    /**
     * Up to three attempts, each passing a distinct wait to the timeline without waiting; any status from 500 is a
     * {@link FailureKind#SERVER_ERROR}. Keeps every result it saw.
     */
    private static final class UpToThreeAttempts implements CallPolicy {
        final List<AttemptResult<?>> results = new CopyOnWriteArrayList<>();

        static Duration waitBefore(int attempt) {
            return Duration.ofMillis(10L * (attempt - 1));
        }

        @Override
        public Optional<FailureKind> classify(HttpResponse.ResponseInfo response) {
            return response.statusCode() >= 500 ? Optional.of(FailureKind.SERVER_ERROR) : Optional.empty();
        }

        @Override
        public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
            AttemptResult<T> result;
            do {
                result = call.attempt(waitBefore(call.attempts() + 1));
                results.add(result);
            } while (!result.succeeded() && call.attempts() < 3);
            if (result.succeeded()) {
                return result.successfulResponse();
            }
            throw call.failure();
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
            return call.attemptAsync(waitBefore(call.attempts() + 1)).thenCompose(result -> {
                results.add(result);
                if (result.succeeded()) {
                    return CompletableFuture.completedFuture(result.successfulResponse());
                }
                return call.attempts() < 3 ? executeAsync(call) : CompletableFuture.failedFuture(call.failure());
            });
        }
    }
}
