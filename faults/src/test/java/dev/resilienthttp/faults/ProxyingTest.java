package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain TCP proxying and the proxy lifecycle's effect on live connections (spec §1, §5.2 P1-P13). */
@ToxiproxyTest
class ProxyingTest {
    private static final Duration SOON = Duration.ofSeconds(2);

    private final ToxiproxyClient client;
    private TestOrigin origin;

    ProxyingTest(ToxiproxyClient client) {
        this.client = client;
    }

    @BeforeEach
    void startOrigin() throws IOException {
        origin = TestOrigin.manual();
    }

    @AfterEach
    void stopOrigin() throws IOException {
        origin.close();
    }

    @Test
    void messageReachesTheUpstreamIntact() throws Exception {
        Proxy proxy = client.createProxy("simple", "127.0.0.1:0", origin.address());

        try (Socket socket = Sockets.connect(proxy.getListen())) {
            Sockets.write(socket, "hello world");
        }

        try (Socket server = origin.nextConnection(SOON)) {
            assertThat(Sockets.readToEof(server)).asString().isEqualTo("hello world");
        }
    }

    @Test
    void bigMessageArrivesIntactInBothDirections() throws Exception {
        Proxy proxy = client.createProxy("big", "127.0.0.1:0", origin.address());
        byte[] message = new byte[64 * 1024];
        new Random(42).nextBytes(message);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            socket.getOutputStream().write(message);
            assertThat(Sockets.readExactly(server, message.length)).isEqualTo(message);
            server.getOutputStream().write(message);
            assertThat(Sockets.readExactly(socket, message.length)).isEqualTo(message);
        }
    }

    @Test
    void twoWritesArriveConcatenated() throws Exception {
        Proxy proxy = client.createProxy("two-part", "127.0.0.1:0", origin.address());

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "hello ");
            Sockets.write(socket, "world");
            assertThat(Sockets.readString(server, 11)).isEqualTo("hello world");
        }
    }

    @Test
    void unreachableUpstreamGivesAcceptedConnectionThenEof() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        Proxy proxy = client.createProxy("down-upstream", "127.0.0.1:0", "127.0.0.1:" + deadPort);

        try (Socket socket = Sockets.connect(proxy.getListen())) {
            assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
        }
    }

    @Test
    void disablingClosesLiveConnectionsRefusesNewOnesAndEnableReusesThePort() throws Exception {
        Proxy proxy = client.createProxy("disable", "127.0.0.1:0", origin.address());
        int port = Sockets.port(proxy.getListen());

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            proxy.disable();

            assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
            assertThat(Sockets.nextReadOutcome(server, SOON)).isIn("EOF", "SocketException: Connection reset");
            assertThat(Sockets.refuses(port)).isTrue();
        }

        proxy.enable();

        assertThat(client.getProxy("disable").getListen()).isEqualTo("127.0.0.1:" + port);
        try (Socket socket = Sockets.connect("127.0.0.1:" + port); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "again");
            assertThat(Sockets.readString(server, 5)).isEqualTo("again");
        }
    }

    @Test
    void deletingTheProxyClosesLiveConnections() throws Exception {
        Proxy proxy = client.createProxy("delete-live", "127.0.0.1:0", origin.address());

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            proxy.delete();

            assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
            assertThat(Sockets.nextReadOutcome(server, SOON)).isIn("EOF", "SocketException: Connection reset");
        }
    }

    /** Toxiproxy has no half-close: the client's FIN ends the whole connection, response included. */
    @Test
    void halfCloseFromTheClientEndsTheWholeConnection() throws Exception {
        Proxy proxy = client.createProxy("half-close", "127.0.0.1:0", origin.address());

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "request");
            socket.shutdownOutput();

            assertThat(Sockets.readToEof(server)).asString().isEqualTo("request");
            assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
        }
    }

    @Test
    void updatingTheUpstreamClosesLiveConnectionsAndNewOnesReachTheNewUpstream() throws Exception {
        Proxy proxy = client.createProxy("switch", "127.0.0.1:0", origin.address());
        try (TestOrigin other = TestOrigin.manual();
                Socket socket = Sockets.connect(proxy.getListen());
                Socket server = origin.nextConnection(SOON)) {
            proxy.setUpstream(other.address());

            assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
            assertThat(Sockets.nextReadOutcome(server, SOON)).isIn("EOF", "SocketException: Connection reset");
            try (Socket second = Sockets.connect(client.getProxy("switch").getListen());
                    Socket otherServer = other.nextConnection(SOON)) {
                Sockets.write(second, "new");
                assertThat(Sockets.readString(otherServer, 3)).isEqualTo("new");
            }
        }
    }

    @Test
    void sameAddressListenUpdateKeepsLiveConnections() throws Exception {
        Proxy proxy = client.createProxy("same-listen", "127.0.0.1:0", origin.address());
        String listen = proxy.getListen();

        try (Socket socket = Sockets.connect(listen); Socket server = origin.nextConnection(SOON)) {
            proxy.setListen("localhost:" + Sockets.port(listen));

            Sockets.write(socket, "still");
            assertThat(Sockets.readString(server, 5)).isEqualTo("still");
        }
    }

    @Test
    void resetKeepsLiveConnectionsWorking() throws Exception {
        Proxy proxy = client.createProxy("persistent", "127.0.0.1:0", origin.address());
        proxy.toxics().latency("up", ToxicDirection.UPSTREAM, 0);
        proxy.toxics().latency("down", ToxicDirection.DOWNSTREAM, 0);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            for (int round = 0; round < 3; round++) {
                Sockets.write(socket, "ping" + round);
                assertThat(Sockets.readString(server, 5)).isEqualTo("ping" + round);
                Sockets.write(server, "pong" + round);
                assertThat(Sockets.readString(socket, 5)).isEqualTo("pong" + round);
                client.reset();
            }
        }
    }
}
