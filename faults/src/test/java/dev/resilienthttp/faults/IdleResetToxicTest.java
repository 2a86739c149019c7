package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our idle_reset toxic, a forgetful NAT gateway: in-JVM server only. */
@ToxiproxyTest
class IdleResetToxicTest {
    private static final Duration SOON = Duration.ofSeconds(2);
    private static final Duration IDLE = Duration.ofMillis(300);

    private final ToxiproxyEndpoint endpoint;
    private TestOrigin origin;
    private Proxy proxy;

    IdleResetToxicTest(ToxiproxyEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @BeforeEach
    void createProxy(ToxiproxyClient client) throws IOException {
        assumeTrue(endpoint.inJvm(), "idle_reset is ours; a real Toxiproxy does not have it");
        origin = TestOrigin.manual();
        proxy = client.createProxy("nat", "127.0.0.1:0", origin.address());
        endpoint.addIdleReset("nat", "nat-timeout", IDLE);
    }

    @AfterEach
    void stopOrigin() throws IOException {
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void idleResetLetsTrafficThroughWhileTheConnectionIsBusy() throws Exception {
        // Busy by the NAT's measure even where a loaded machine holds the test up for a while between its steps.
        endpoint.removeToxic("nat", "nat-timeout");
        endpoint.addIdleReset("nat", "nat-timeout", Duration.ofSeconds(5));
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "ping");
            assertThat(Sockets.readString(server, 4)).isEqualTo("ping");
            Sockets.write(server, "pong");
            assertThat(Sockets.readString(socket, 4)).isEqualTo("pong");
        }
    }

    @Test
    void idleResetResetsOnlyAfterTheIdleTimeAndDropsTheClientsBytes() throws Exception {
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "ping");
            assertThat(Sockets.readString(server, 4)).isEqualTo("ping");

            // The wait for idleness is itself an assertion: nothing arrives while the connection idles.
            assertThat(Sockets.nextReadOutcome(socket, IDLE.plusMillis(200))).isEqualTo("TIMEOUT");
            Sockets.write(socket, "lost");

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            assertThat(Sockets.nextReadOutcome(server, SOON)).isNotEqualTo("DATA").isNotEqualTo("TIMEOUT");
        }
    }

    @Test
    void serverBytesAfterTheIdleTimeAreDroppedAndTheClientIsResetWhenItSpeaks() throws Exception {
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            assertThat(Sockets.nextReadOutcome(server, IDLE.plusMillis(200))).isEqualTo("TIMEOUT");
            Sockets.write(server, "late");
            assertThat(Sockets.nextReadOutcome(socket, Duration.ofMillis(300))).isEqualTo("TIMEOUT");

            Sockets.write(socket, "hello?");

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
        }
    }

    @Test
    void idleResetIsListedWithItsAttributeAndCanBeRemoved() throws Exception {
        RawHttp.Reply toxic = RawHttp.send(endpoint.apiUri(), "GET", "/proxies/nat/toxics/nat-timeout", null);
        assertThat(toxic.body()).contains("\"type\":\"idle_reset\"").contains("\"idle_ms\":300");

        endpoint.removeToxic("nat", "nat-timeout");

        assertThat(proxy.toxics().getAll()).isEmpty();
    }
}
