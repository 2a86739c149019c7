package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.HandshakeFault;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.faults.LoopbackTls;
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
import java.util.stream.Stream;
import javax.net.ssl.SSLParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A TLS terminator that resets a connection during the handshake, or closes it (a FIN, no alert), loopback, with a
 * certificate made by the test: the request was never written, so the attempt is a {@code CONNECTION_RESET} that
 * sent nothing, which a policy may retry whatever the method. It is not a permanent {@code IO_ERROR}, as a certificate
 * failure is.
 */
class TlsHandshakeResetTest {
    /**
     * Handshakes closed per scenario. The JDK reports a FIN at once as "Remote host closed the channel" in about one
     * call of thirty (when the FIN comes before its first handshake bytes), as "Remote host terminated the handshake"
     * otherwise: thirty calls meet the rarer one more often than not.
     */
    private static final int CLOSED_HANDSHAKES = 30;

    private static ResilientHttpClient client(HttpClient.Version version) {
        return builder(version).jdkClient(jdk -> jdk.sslContext(LoopbackTls.get().clientContext())).build();
    }

    private static ResilientHttpClientBuilder builder(HttpClient.Version version) {
        return ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)").version(version);
    }

    private static HttpRequest post(ScriptedHttpServer server) {
        return HttpRequest.newBuilder(server.uri("/articles")).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    static Stream<Arguments> versionsAndSendings() {
        return Stream.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)
                .flatMap(version -> Arrays.stream(Sending.values()).map(sending -> Arguments.of(version, sending)));
    }

    static Stream<Arguments> closesVersionsAndSendings() {
        return Stream.of(HandshakeFault.CLOSE_AT_ONCE, HandshakeFault.CLOSE_AFTER_CLIENT_HELLO)
                .flatMap(fault -> Stream.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)
                        .flatMap(version -> Arrays.stream(Sending.values())
                                .map(sending -> Arguments.of(fault, version, sending))));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aResetDuringTheHandshakeIsAConnectionResetThatSentNothing(Sending sending) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.startTls(Behaviour.ok(), 1);
             ResilientHttpClient client = client(HttpClient.Version.HTTP_1_1)) {
            HttpRequest post = post(server);

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

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("closesVersionsAndSendings")
    void aCloseDuringTheHandshakeIsAConnectionResetThatSentNothingOnEitherVersion(HandshakeFault fault,
            HttpClient.Version version, Sending sending) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.startTls(Behaviour.ok(), CLOSED_HANDSHAKES, fault);
             ResilientHttpClient client = client(version)) {
            HttpRequest post = post(server);

            for (int call = 0; call < CLOSED_HANDSHAKES; call++) {
                FailureReport report = sending.failure(client, post, BodyHandlers.ofString()).report();
                assertThat(report.kind()).as(report.failReason()).isEqualTo(FailureKind.CONNECTION_RESET);
                assertThat(report.outcome()).as(report.failReason()).isEqualTo(Outcome.NOT_SENT);
                assertThat(report.attempts()).isEqualTo(1);
            }

            assertThat(server.requestCount()).isZero();
            assertThat(sending.call(client, post, BodyHandlers.ofString()).statusCode())
                    .as("the next connection's handshake completes").isEqualTo(200);
            assertThat(server.errors()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("versionsAndSendings")
    void aHandshakeFailedForNoCommonCipherSuiteOrAnUntrustedCertificateStaysAPermanentIoError(
            HttpClient.Version version, Sending sending) throws Exception {
        // The server's key is EC: a client that offers only RSA suites gets a handshake_failure alert.
        SSLParameters rsaOnly = new SSLParameters(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
                new String[] {"TLSv1.2"});
        try (ScriptedHttpServer server = ScriptedHttpServer.startTls(Behaviour.ok(), 0);
             ResilientHttpClient noCommonSuite = builder(version).jdkClient(jdk -> jdk
                     .sslContext(LoopbackTls.get().clientContext()).sslParameters(rsaOnly)).build();
             ResilientHttpClient distrusting = builder(version).build()) {

            for (ResilientHttpClient client : List.of(noCommonSuite, distrusting)) {
                FailureReport report = sending.failure(client, post(server), BodyHandlers.ofString()).report();
                assertThat(report.kind()).as(report.failReason()).isEqualTo(FailureKind.IO_ERROR);
                assertThat(report.outcome()).as(report.failReason()).isEqualTo(Outcome.NOT_SENT);
            }

            assertThat(server.requestCount()).isZero();
        }
    }
}
