package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ManualClock;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.core.spi.AttemptResult;
import dev.resilienthttp.core.spi.Call;
import dev.resilienthttp.core.spi.CallPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK pools an HTTP/1.1 connection whenever its response body is read to the end, whoever reads it: the client
 * reading a failed response's short body, or the caller reading a stream. A reset on such a connection, reused after
 * sitting idle, is a stale connection like any other. A failed response's long body is cut off instead, and the JDK
 * closes its connection: a reset on the next request's new connection is the server's. The server resets, before
 * any response byte, each request its script does not answer (every one, or every one on a reused connection); the
 * policy makes one attempt, so each call's kind is its attempt's.
 */
class StaleAfterAnyResponseTest {
    private static final Duration IDLE = Duration.ofSeconds(2);

    private final ManualClock clock = new ManualClock();

    private ResilientHttpClient client() {
        return ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)").preferHttp1()
                .clock(clock).retry(new OneAttempt()).build();
    }

    private static HttpRequest post(ScriptedHttpServer server) {
        return HttpRequest.newBuilder(server.uri("/articles")).POST(BodyPublishers.ofString("{}")).build();
    }

    @ParameterizedTest(name = "{0} through {1}")
    @CsvSource({"404, SEND", "404, SEND_ASYNC", "429, SEND", "429, SEND_ASYNC", "503, SEND", "503, SEND_ASYNC"})
    void aConnectionKeptAfterAFailedResponseIsAStaleConnectionWhenReusedAfterSittingIdle(int status, Sending sending)
            throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetOnReuse());
             ResilientHttpClient client = client()) {
            server.enqueue(Behaviour.respond(status, Map.of(), "{\"error\":\"no\"}"));
            assertThat(sending.failure(client, post(server), BodyHandlers.ofString()).report().timeline().get(0)
                    .status()).isEqualTo(status);
            clock.advance(IDLE);

            HttpFailureException reused = sending.failure(client, post(server), BodyHandlers.ofString());

            assertThat(server.requests().get(1).onReusedConnection()).as("the JDK reused the connection").isTrue();
            assertThat(reused.kind()).isEqualTo(FailureKind.STALE_CONNECTION);
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aConnectionKeptAfterAStreamedBodyWasReadToItsEndIsAStaleConnectionWhenReusedAfterSittingIdle(
            Sending sending) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetOnReuse());
             ResilientHttpClient client = client()) {
            HttpResponse<InputStream> streamed = sending.call(client, post(server), BodyHandlers.ofInputStream());
            try (InputStream body = streamed.body()) {
                assertThat(body.readAllBytes()).asString().isEqualTo("ok");
            }
            clock.advance(IDLE);

            HttpFailureException reused = sending.failure(client, post(server), BodyHandlers.ofString());

            assertThat(server.requests().get(1).onReusedConnection()).as("the JDK reused the connection").isTrue();
            assertThat(reused.kind()).isEqualTo(FailureKind.STALE_CONNECTION);
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aFailedResponseWhoseLongBodyWasCutOffLeavesNoConnectionSoTheNextResetIsTheServers(Sending sending)
            throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetBeforeResponse());
             ResilientHttpClient client = client()) {
            server.enqueue(Behaviour.largeBody(503, 4 * ErrorBodyPrefix.MAX_BYTES, new AtomicLong()));
            assertThat(sending.failure(client, post(server), BodyHandlers.ofString()).kind())
                    .isEqualTo(FailureKind.SERVER_ERROR);
            clock.advance(IDLE);

            HttpFailureException fresh = sending.failure(client, post(server), BodyHandlers.ofString());

            assertThat(server.requests().get(1).onReusedConnection()).as("a new connection").isFalse();
            assertThat(fresh.kind()).isEqualTo(FailureKind.CONNECTION_RESET);
        }
    }

    /**
     * How the model errs where it cannot see: a stream is counted idle from the moment it is handed over, though its
     * connection stays busy until the caller has read it. A reset on the new connection the next request then gets
     * is called stale, once: it replaces the pool, and on the new one, known to be empty, the server's next reset is
     * counted as the server's.
     */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void whileAStreamHoldsItsConnectionAResetOnANewOneIsCalledStaleOnceAndTheFreshPoolSeesTheServersReset(
            Sending sending) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetBeforeResponse());
             ResilientHttpClient client = client()) {
            server.enqueue(Behaviour.stallAfterHeaders(2, 100));
            HttpResponse<InputStream> held = sending.call(client, post(server), BodyHandlers.ofInputStream());
            try {
                clock.advance(IDLE);

                HttpFailureException first = sending.failure(client, post(server), BodyHandlers.ofString());
                HttpFailureException second = sending.failure(client, post(server), BodyHandlers.ofString());

                assertThat(server.requests()).as("each on a new connection")
                        .noneMatch(request -> request.onReusedConnection());
                assertThat(first.kind()).as("the stream's connection counted idle").isEqualTo(
                        FailureKind.STALE_CONNECTION);
                assertThat(second.kind()).as("on the fresh pool").isEqualTo(FailureKind.CONNECTION_RESET);
            } finally {
                held.body().close();
            }
        }
    }

    /**
     * A request given a connection idle long enough to be stale makes a reset on any other request to the origin a
     * stale connection until it is answered: the JDK hands pooled connections out in its own order, so the other may
     * have got that one. Once its headers have come it holds its connection, though its body still streams: a reset on
     * another request's new connection is then the server's.
     */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void onceTheRequestOnAnIdleConnectionIsAnsweredAResetOnAnotherRequestsNewConnectionIsTheServers(Sending sending)
            throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetBeforeResponse());
             ResilientHttpClient client = client()) {
            server.enqueue(Behaviour.ok());
            sending.call(client, post(server), BodyHandlers.ofString());
            clock.advance(IDLE);
            server.enqueue(Behaviour.stallAfterHeaders(2, 100));
            CountDownLatch answered = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> streaming = client.sendAsync(post(server), info -> {
                answered.countDown();
                return BodySubscribers.ofString(StandardCharsets.UTF_8);
            });
            try {
                assertThat(answered.await(10, TimeUnit.SECONDS)).as("the headers came").isTrue();

                HttpFailureException fresh = sending.failure(client, post(server), BodyHandlers.ofString());

                assertThat(server.requests().get(1).onReusedConnection()).as("the idle connection went to the first")
                        .isTrue();
                assertThat(server.requests().get(2).onReusedConnection()).as("a new connection").isFalse();
                assertThat(fresh.kind()).isEqualTo(FailureKind.CONNECTION_RESET);
            } finally {
                streaming.cancel(true);
            }
        }
    }

    /**
     * The same when the answer is a failed status: its body goes to a short prefix, not to the caller's handler, but
     * the request holds its connection from the headers on, as a success's does.
     */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void onceTheRequestOnAnIdleConnectionIsAnsweredWithAFailedStatusAResetOnAnotherRequestsNewConnectionIsTheServers(
            Sending sending) throws Exception {
        CountDownLatch failedHeaders = new CountDownLatch(1);
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetBeforeResponse());
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                     .preferHttp1().clock(clock).retry(new OneAttempt(failedHeaders)).build()) {
            server.enqueue(Behaviour.ok());
            sending.call(client, post(server), BodyHandlers.ofString());
            clock.advance(IDLE);
            server.enqueue(Behaviour.stallAfterHeaders(503, 2, 100));
            CompletableFuture<HttpResponse<String>> failing = client.sendAsync(post(server), BodyHandlers.ofString());
            try {
                assertThat(failedHeaders.await(10, TimeUnit.SECONDS)).as("the 503's headers came").isTrue();

                HttpFailureException fresh = sending.failure(client, post(server), BodyHandlers.ofString());

                assertThat(server.requests().get(1).onReusedConnection()).as("the idle connection went to the 503")
                        .isTrue();
                assertThat(server.requests().get(2).onReusedConnection()).as("a new connection").isFalse();
                assertThat(fresh.kind()).isEqualTo(FailureKind.CONNECTION_RESET);
            } finally {
                failing.cancel(true);
            }
        }
    }

    /** One attempt; a status from 400 on is a failure. */
    private static final class OneAttempt implements CallPolicy {
        /** Counted down when a failed status's headers are judged. */
        private final CountDownLatch failedHeaders;

        OneAttempt() {
            this(new CountDownLatch(0));
        }

        OneAttempt(CountDownLatch failedHeaders) {
            this.failedHeaders = failedHeaders;
        }

        @Override
        public Optional<FailureKind> classify(HttpResponse.ResponseInfo response) {
            if (response.statusCode() < 400) {
                return Optional.empty();
            }
            failedHeaders.countDown();
            return Optional.of(FailureKind.SERVER_ERROR);
        }

        @Override
        public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
            AttemptResult<T> result = call.attempt(Duration.ZERO);
            if (result.succeeded()) {
                return result.successfulResponse();
            }
            throw call.failure();
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
            return call.attemptAsync(Duration.ZERO).thenCompose(result -> result.succeeded()
                    ? CompletableFuture.completedFuture(result.successfulResponse())
                    : CompletableFuture.failedFuture(call.failure()));
        }
    }
}
