package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ManualClock;
import dev.resilienthttp.core.fixtures.OneAttempt;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.core.spi.CallPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window in which a reset on any request to an origin is a stale connection: while a request that was given a
 * connection idle long enough to be stale has no response headers yet. The JDK hands pooled connections out in its
 * own order, so another request may have got that connection instead of the one, or the new one, the client expected
 * it to get. The server here resets every request its script does not answer, before any response byte.
 */
class StaleWindowTest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final ManualClock clock = new ManualClock();

    private ResilientHttpClient client(CallPolicy policy, HttpEventListener listener) {
        ResilientHttpClientBuilder builder = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                .preferHttp1().clock(clock).listener(listener);
        return (policy == null ? builder : builder.retry(policy)).build();
    }

    private static HttpRequest post(ScriptedHttpServer server) {
        return HttpRequest.newBuilder(server.uri("/articles")).POST(BodyPublishers.ofString("{}")).build();
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
             ResilientHttpClient client = client(new OneAttempt(), new HttpEventListener() { })) {
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
             ResilientHttpClient client = client(new OneAttempt(failedHeaders), new HttpEventListener() { })) {
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

    /**
     * How far the window can mislead, and no further: while a request on an idle connection waits for its headers, a
     * server that resets every new connection has its first reset of another call called stale. That call is re-sent
     * at once, as after any stale connection, but on a new pool, where nothing is idle: its next reset is counted as
     * the server's, and so is every later call's. One rotation, one re-send, no storm; the waiting request, on the
     * retired pool, is answered all the same.
     */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void whileARequestOnAnIdleConnectionAwaitsItsHeadersAServerResettingNewConnectionsCostsOneResendAndOneRotation(
            Sending sending) throws Exception {
        List<RotationReason> rotations = new CopyOnWriteArrayList<>();
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void generationRotated(int retired, int current, RotationReason reason) {
                rotations.add(reason);
            }
        };
        CountDownLatch answer = new CountDownLatch(1);
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetBeforeResponse());
             ResilientHttpClient client = client(null, listener)) {
            server.enqueue(Behaviour.ok());
            sending.call(client, post(server), BodyHandlers.ofString());
            clock.advance(IDLE);
            server.enqueue(Behaviour.heldUntil(answer, BOUND, Behaviour.ok()));
            CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(post(server), BodyHandlers.ofString());
            try {
                assertThat(server.awaitRequests(2, BOUND).get(1).onReusedConnection())
                        .as("the idle connection went to the waiting request").isTrue();
                HttpRequest keyed = HttpRequest.newBuilder(post(server), (name, value) -> true)
                        .header("Idempotency-Key", "k-1").build();

                HttpFailureException resent = sending.failure(client, keyed, BodyHandlers.ofString());
                HttpFailureException next = sending.failure(client, keyed, BodyHandlers.ofString());

                assertThat(resent.report().timeline()).extracting(FailureReport.Attempt::kind)
                        .containsExactly(FailureKind.STALE_CONNECTION, FailureKind.CONNECTION_RESET);
                assertThat(next.report().timeline()).extracting(FailureReport.Attempt::kind)
                        .containsExactly(FailureKind.CONNECTION_RESET);
                assertThat(rotations).containsExactly(RotationReason.STALE_CONNECTION);
                assertThat(server.requests().subList(2, 5)).as("each on a new connection")
                        .noneMatch(request -> request.onReusedConnection());
            } finally {
                answer.countDown();
            }
            assertThat(waiting.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }
}
