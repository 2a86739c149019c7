package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.HandshakeFault;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.LoopbackTls;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A POST without an {@code Idempotency-Key} whose first connections are reset, or closed, during the TLS handshake:
 * nothing was sent, so the standard decision retries it (with backoff) and the next connection delivers it, once.
 */
class TlsHandshakeResetEndToEndTest {

    /** Recording each failed attempt's number and kind, as {@code "1 CONNECTION_RESET"}. */
    private static HttpEventListener recording(List<String> attempts) {
        return new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                attempts.add(attempt + " " + kind);
            }
        };
    }

    static Stream<Arguments> closesVersionsAndSendings() {
        return Stream.of(HandshakeFault.CLOSE_AT_ONCE, HandshakeFault.CLOSE_AFTER_CLIENT_HELLO)
                .flatMap(fault -> Stream.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)
                        .flatMap(version -> Arrays.stream(Sending.values())
                                .map(sending -> Arguments.of(fault, version, sending))));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aPostWhoseHandshakeWasResetIsRetriedAndReachesTheServerOnce(Sending sending) throws Exception {
        assertRetriedPastTwoFaultyHandshakes(HandshakeFault.RESET_AFTER_CLIENT_HELLO, HttpClient.Version.HTTP_1_1,
                sending);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("closesVersionsAndSendings")
    void aPostWhoseHandshakeThePeerClosedIsRetriedAndReachesTheServerOnce(HandshakeFault fault,
            HttpClient.Version version, Sending sending) throws Exception {
        assertRetriedPastTwoFaultyHandshakes(fault, version, sending);
    }

    /** An unkeyed POST meets two handshakes that fail with {@code fault}, and the third connection carries it. */
    private static void assertRetriedPastTwoFaultyHandshakes(HandshakeFault fault, HttpClient.Version version,
                                                             Sending sending) throws Exception {
        List<String> attempts = new CopyOnWriteArrayList<>();
        try (ScriptedHttpServer server = ScriptedHttpServer.startTls(Behaviour.ok(), 2, fault);
             ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).version(version)
                     .listener(recording(attempts))
                     .jdkClient(jdk -> jdk.sslContext(LoopbackTls.get().clientContext())).build()) {
            HttpRequest post = HttpRequest.newBuilder(server.uri("/articles"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

            HttpResponse<String> response = sending.call(client, post, BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(attempts).containsExactly("1 CONNECTION_RESET", "2 CONNECTION_RESET");
            assertThat(server.requestCount()).as("the POST reached the server once").isEqualTo(1);
            assertThat(server.connectionCount()).isEqualTo(3);
            assertThat(server.errors()).isEmpty();
        }
    }
}
