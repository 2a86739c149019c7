package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ManualClock;
import dev.resilienthttp.core.fixtures.OneAttempt;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
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
}
