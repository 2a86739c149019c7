package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ManualClock;
import dev.resilienthttp.core.fixtures.RecordedRequest;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server that resets every reused connection after reading the request: the second call of a client, two
 * seconds (of the client's clock) after the first, meets a dead pooled connection that sat idle long enough to have
 * been dropped by the path. No retry policy is configured: this is core's own recovery.
 */
class StaleConnectionRecoveryTest {
    private ScriptedHttpServer server;
    private RecordingListener listener;
    private ResilientHttpClient client;
    private final ManualClock clock = new ManualClock();

    @BeforeEach
    void start() {
        server = ScriptedHttpServer.start(Behaviour.resetOnReuse());
        listener = new RecordingListener();
        client = ResilientHttpClient.builder()
                .userAgent("core-tests/1.0 (ops@example.org)")
                .preferHttp1()
                .listener(listener)
                .clock(clock)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.uri(path));
    }

    private void warmUp(Sending sending) throws Exception {
        HttpResponse<String> first = sending.call(client, request("/warm-up").build(), BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(2));   // the pooled connection sits idle, as the incident's did
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aKeyedPostOnAStaleConnectionIsResentOnceOnAFreshConnectionAndSucceeds(Sending sending) throws Exception {
        warmUp(sending);
        HttpRequest post = request("/articles").header("Idempotency-Key", "k-1")
                .POST(BodyPublishers.ofString("{\"id\":1}")).build();

        HttpResponse<String> response = sending.call(client, post, BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        List<RecordedRequest> posts = server.requests().stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(posts).hasSize(2);
        assertThat(posts.get(0).onReusedConnection()).isTrue();
        assertThat(posts.get(1).onReusedConnection()).as("re-sent on a fresh connection").isFalse();
        assertThat(posts).allSatisfy(p -> assertThat(p.header("Idempotency-Key")).hasValue("k-1"));
        assertThat(listener.events()).containsSubsequence(
                "callStarted POST", "attemptStarted 1", "attemptFailed 1 STALE_CONNECTION",
                "generationRotated 1->2 STALE_CONNECTION", "attemptStarted 2", "attemptSucceeded 2 200",
                "staleConnectionRecovered 2", "callSucceeded 2");
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aPostWithoutAKeyIsNeverResentAndFailsAsAStaleConnectionThatMayHaveBeenProcessed(Sending sending)
            throws Exception {
        warmUp(sending);
        HttpRequest post = request("/articles").POST(BodyPublishers.ofString("{\"id\":1}")).build();

        assertThatThrownBy(() -> sending.call(client, post, BodyHandlers.ofString()))
                .isInstanceOfSatisfying(HttpFailureException.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(FailureKind.STALE_CONNECTION);
                    assertThat(failure.report().outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
                    assertThat(failure.report().attempts()).isEqualTo(1);
                    assertThat(failure.report().failReason()).startsWith("STALE_CONNECTION after 1 attempt in ")
                            .contains("POST http://127.0.0.1:" + server.port() + "/articles");
                    assertThat(failure.getCause()).hasMessageContaining("header parser received no bytes");
                });
        assertThat(server.requests().stream().filter(r -> r.method().equals("POST"))).hasSize(1);
        assertThat(listener.events()).endsWith("callFailed STALE_CONNECTION 1");
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void idempotentMethodsOnAStaleConnectionSucceedWithoutAKey(Sending sending) throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            warmUp(sending);
            HttpRequest request = request("/articles/7").method(method,
                    method.equals("PUT") ? BodyPublishers.ofString("{}") : BodyPublishers.noBody()).build();

            HttpResponse<String> response = sending.call(client, request, BodyHandlers.ofString());

            assertThat(response.statusCode()).as(method).isEqualTo(200);
        }
        assertThat(server.requests().stream().filter(r -> r.path().equals("/articles/7")).map(r -> r.method()))
                .as("each method reached the server on a reused connection, then again on a fresh one")
                .containsSubsequence("PUT", "PUT", "DELETE", "DELETE");
    }
}
