package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.faults.LoopbackTls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A TLS terminator that resets a connection during the handshake (loopback, a certificate made by the test): the
 * request was never written, so the attempt is a {@code CONNECTION_RESET} that sent nothing, which a policy may
 * retry whatever the method. It is not a permanent {@code IO_ERROR}, as a certificate failure is.
 */
class TlsHandshakeResetTest {

    private static ResilientHttpClient client() {
        return ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)").preferHttp1()
                .jdkClient(jdk -> jdk.sslContext(LoopbackTls.get().clientContext())).build();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aResetDuringTheHandshakeIsAConnectionResetThatSentNothing(Sending sending) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.startTls(Behaviour.ok(), 1);
             ResilientHttpClient client = client()) {
            HttpRequest post = HttpRequest.newBuilder(server.uri("/articles"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

            Throwable thrown = catchThrowable(() -> sending.call(client, post, BodyHandlers.ofString()));

            assertThat(thrown).isInstanceOf(HttpFailureException.class);
            FailureReport report = ((HttpFailureException) thrown).report();
            assertThat(report.kind()).as(report.failReason()).isEqualTo(FailureKind.CONNECTION_RESET);
            assertThat(report.outcome()).isEqualTo(Outcome.NOT_SENT);
            assertThat(report.attempts()).isEqualTo(1);
            assertThat(server.requestCount()).isZero();

            HttpResponse<String> next = sending.call(client, post, BodyHandlers.ofString());
            assertThat(next.statusCode()).as("the next connection's handshake completes").isEqualTo(200);
        }
    }
}
