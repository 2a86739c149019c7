package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.LoopbackTls;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A POST without an {@code Idempotency-Key} whose first two connections are reset during the TLS handshake: nothing
 * was sent, so the standard decision retries it (with backoff) and the third connection delivers it, once.
 */
class TlsHandshakeResetEndToEndTest {

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aPostWhoseHandshakeWasResetIsRetriedAndReachesTheServerOnce(Sending sending) throws Exception {
        List<String> attempts = new CopyOnWriteArrayList<>();
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                attempts.add(attempt + " " + kind);
            }
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.startTls(Behaviour.ok(), 2);
             ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).listener(listener)
                     .jdkClient(jdk -> jdk.sslContext(LoopbackTls.get().clientContext())).build()) {
            HttpRequest post = HttpRequest.newBuilder(server.uri("/articles"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

            HttpResponse<String> response = sending.call(client, post, BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(attempts).containsExactly("1 CONNECTION_RESET", "2 CONNECTION_RESET");
            assertThat(server.requestCount()).as("the POST reached the server once").isEqualTo(1);
            assertThat(server.connectionCount()).isEqualTo(3);
        }
    }
}
