package dev.resilienthttp.faults;

import static dev.resilienthttp.faults.LatencyToxicTest.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reset_peer toxic: a real RST (spec §3.1, §5.3 T16-T18, T28). Toxics are added before connecting. */
@ToxiproxyTest
class ResetPeerToxicTest {
    private static final Duration SOON = Duration.ofSeconds(2);

    private final ToxiproxyEndpoint endpoint;
    private TestOrigin origin;
    private Proxy proxy;

    ResetPeerToxicTest(ToxiproxyEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @BeforeEach
    void createProxy(ToxiproxyClient client) throws IOException {
        origin = TestOrigin.manual();
        proxy = client.createProxy("reset", "127.0.0.1:0", origin.address());
    }

    @AfterEach
    void stopOrigin() throws IOException {
        origin.close();
    }

    @Test
    void resetPeerGivesTheClientConnectionReset() throws Exception {
        proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "line\n");

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            assertThat(Sockets.nextReadOutcome(server, SOON)).isNotEqualTo("DATA").isNotEqualTo("TIMEOUT");
        }
    }

    @Test
    void resetPeerWithTimeoutResetsAfterTheTimeout() throws Exception {
        proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 300);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            long start = System.nanoTime();
            Sockets.write(socket, "line\n");

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            assertThat(millisSince(start)).isBetween(300L, 5300L);
            assertThat(Sockets.nextReadOutcome(server, SOON)).isNotEqualTo("DATA").isNotEqualTo("TIMEOUT");
        }
    }

    @Test
    void downstreamResetPeerResetsAfterTheServerRepliesWithNoPayload() throws Exception {
        proxy.toxics().resetPeer("rst", ToxicDirection.DOWNSTREAM, 100);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "ping");
            assertThat(Sockets.readString(server, 4)).isEqualTo("ping");
            long start = System.nanoTime();
            Sockets.write(server, "pong");

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            assertThat(millisSince(start)).isBetween(100L, 5100L);
        }
    }

    @Test
    void nothingHappensWhileNoByteFlows() throws Exception {
        proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(server, "hello");

            assertThat(Sockets.readString(socket, 5)).isEqualTo("hello");
        }
    }

    /** Go's quirk: SO_LINGER=0 is set only at accept, so a toxic added later ends with EOF. */
    @Test
    void resetPeerAddedToAnOpenConnectionEndsItWithEof() throws Exception {
        assumeTrue(endpoint.inJvm(), "pins a quirk; not asserted against a real Toxiproxy");

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            proxy.toxics().resetPeer("late-rst", ToxicDirection.UPSTREAM, 0);
            Sockets.write(socket, "line\n");

            assertThat(Sockets.nextReadOutcome(socket, SOON)).isEqualTo("EOF");
            assertThat(Sockets.nextReadOutcome(server, SOON)).isEqualTo("EOF");
        }
    }
}
