package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starting and closing the in-JVM server: it binds loopback and leaves no thread or socket behind. */
class ServerLifecycleTest {
    private static final Duration SOON = Duration.ofSeconds(2);

    @Test
    void serverBindsLoopbackOnAFreePortByDefault() {
        try (ToxiproxyServer server = ToxiproxyServer.start()) {
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.port()).isPositive();
            assertThat(server.apiUri()).hasToString("http://127.0.0.1:" + server.port());
        }
    }

    @Test
    void closeLeavesNoToxiproxyThreadAndFreesEveryPort() throws Exception {
        int apiPort;
        int proxyPort;
        try (TestOrigin origin = TestOrigin.manual()) {
            ToxiproxyServer server = ToxiproxyServer.start();
            apiPort = server.port();
            ToxiproxyClient client = server.client();
            Proxy proxy = client.createProxy("busy", "127.0.0.1:0", origin.address());
            proxy.toxics().latency("lag", ToxicDirection.DOWNSTREAM, 10_000);
            proxy.toxics().bandwidth("stall", ToxicDirection.UPSTREAM, 0);
            proxyPort = Sockets.port(proxy.getListen());
            try (Socket socket = Sockets.connect(proxy.getListen()); Socket upstream = origin.nextConnection(SOON)) {
                Sockets.write(socket, "held by the stalled bandwidth toxic");
                Sockets.write(upstream, "held by the latency toxic");
                assertThat(toxiproxyThreads()).isGreaterThan(0);

                server.close();

                assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
            }
        }

        assertThat(toxiproxyThreads()).isZero();
        assertThat(canBind(apiPort)).isTrue();
        assertThat(canBind(proxyPort)).isTrue();
    }

    @Test
    void closeIsIdempotent() {
        ToxiproxyServer server = ToxiproxyServer.start();

        server.close();
        server.close();

        assertThat(Sockets.refuses(server.port())).isTrue();
    }

    @Test
    void clientOfAServerOnAGivenPortWorks() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (ToxiproxyServer server = ToxiproxyServer.start("127.0.0.1", port)) {
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.client().version()).contains("version");
        }
    }

    private static long toxiproxyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("toxiproxy") && t.isAlive())
                .count();
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
