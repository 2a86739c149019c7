package dev.resilienthttp.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLHandshakeException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TransportBenchmark}'s variants really speak what they are named after, with both measured clients. */
class TransportTest {
    private static final int CALLS = 3;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TLS", "H2"})
    void bothMeasuredClientsGetTheWholePayloadBackInTheTransportsVersion(Transport transport) throws Exception {
        try (LoopbackServer server = LoopbackServer.start(transport)) {
            for (Client client : List.of(Client.RAW_JDK, Client.RESILIENT_STANDARD)) {
                try (VersionedPoster poster = TransportBenchmark.open(client, server.uri(Payload.PATH), transport)) {
                    for (int call = 0; call < CALLS; call++) {
                        HttpResponse<byte[]> response = poster.exchange(Payload.bytes());

                        assertThat(response.statusCode()).as(client.method()).isEqualTo(200);
                        assertThat(response.version()).as(client.method()).isEqualTo(transport.version());
                        assertThat(response.body()).as(client.method()).hasSize(Payload.SIZE);
                        assertThat(poster.post(Payload.bytes(), null)).as(client.method()).isEqualTo(200);
                    }
                }
            }
            assertThat(server.requests()).isEqualTo(2L * 2 * CALLS);
        }
    }

    @Test
    void theParameterNamesTlsForHttp11AndH2ForHttp2BothOverHttps() {
        assertThat(Transport.named("tls").version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(Transport.named("h2").version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(Transport.named("tls").scheme()).isEqualTo("https");
        assertThat(Transport.named("h2").scheme()).isEqualTo("https");
    }

    @Test
    void theSetupRefusesAResponseThatCameBackInAnotherVersion() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(Transport.TLS);
             VersionedPoster poster = TransportBenchmark.open(Client.RAW_JDK, server.uri(Payload.PATH),
                     Transport.TLS)) {
            HttpResponse<byte[]> http11 = poster.exchange(Payload.bytes());

            assertThatThrownBy(() -> TransportBenchmark.check(http11, Transport.H2))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP_1_1");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheLoopbackCertificateIsRefused() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(Transport.TLS);
             VersionedPoster untrusting = new JdkPoster(server.uri(Payload.PATH), Transport.CLEAR)) {
            assertThatThrownBy(() -> untrusting.post(Payload.bytes(), null))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }
}
