package dev.resilienthttp.faults;

import static dev.resilienthttp.faults.LatencyToxicTest.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The timeout toxic: data held (dropped), close after the timeout (spec §3.1, §5.3 T13, T14, T23, T24). */
@ToxiproxyTest
class TimeoutToxicTest {
    private static final Duration SOON = Duration.ofSeconds(2);

    private final ToxiproxyClient client;
    private TestOrigin origin;
    private Proxy proxy;

    TimeoutToxicTest(ToxiproxyClient client) {
        this.client = client;
    }

    @BeforeEach
    void createProxy() throws IOException {
        origin = TestOrigin.manual();
        proxy = client.createProxy("timeout", "127.0.0.1:0", origin.address());
    }

    @AfterEach
    void stopOrigin() throws IOException {
        origin.close();
    }

    @Test
    void timeoutClosesAnIdleConnectionAfterTheTimeout() throws Exception {
        proxy.toxics().timeout("cut", ToxicDirection.UPSTREAM, 300);

        long start = System.nanoTime();
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            assertThat(Sockets.nextReadOutcome(socket, Duration.ofSeconds(3))).isEqualTo("EOF");
            assertThat(millisSince(start)).isBetween(300L, 5300L);
            assertThat(Sockets.nextReadOutcome(server, SOON)).isIn("EOF", "SocketException: Connection reset");
        }
    }

    @Test
    void timeoutHoldsTheDataAndThenCloses() throws Exception {
        proxy.toxics().timeout("hold", ToxicDirection.UPSTREAM, 300);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "never delivered");

            assertThat(Sockets.nextReadOutcome(server, Duration.ofSeconds(3))).isEqualTo("EOF");
            assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
        }
    }

    @Test
    void timeoutZeroDropsResponsesAndKeepsTheConnectionOpenUntilRemoved() throws Exception {
        Toxic toxic = proxy.toxics().timeout("black-hole", ToxicDirection.DOWNSTREAM, 0);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "request");
            assertThat(Sockets.readString(server, 7)).isEqualTo("request");
            Sockets.write(server, "response");
            assertThat(Sockets.nextReadOutcome(socket, Duration.ofMillis(500))).isEqualTo("TIMEOUT");

            toxic.remove();

            assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
        }
    }

    @Test
    void removingTimeoutFromAnOpenConnectionClosesItAtBothEnds() throws Exception {
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Toxic toxic = proxy.toxics().timeout("cleanup", ToxicDirection.UPSTREAM, 0);
            toxic.remove();

            assertThat(Sockets.nextReadOutcome(socket, SOON)).isIn("EOF", "SocketException: Connection reset");
            assertThat(Sockets.nextReadOutcome(server, SOON)).isIn("EOF", "SocketException: Connection reset");
        }
    }

    @Test
    void aTimeoutAddedAndRemovedAtOnceClosesEveryOpenConnection() throws Exception {
        // The add and the remove can both reach a link before its pipeline looks: it must apply both, not the last.
        for (int round = 0; round < 20; round++) {
            try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
                proxy.toxics().timeout("cleanup", ToxicDirection.UPSTREAM, 0).remove();

                assertThat(Sockets.nextReadOutcome(socket, SOON)).as("round %d, client side", round)
                        .isIn("EOF", "SocketException: Connection reset");
                assertThat(Sockets.nextReadOutcome(server, SOON)).as("round %d, origin side", round)
                        .isIn("EOF", "SocketException: Connection reset");
            }
        }
    }

    @Test
    void removingLatencyBeforeATimeoutDoesNotHang() throws Exception {
        Toxic latency = proxy.toxics().latency("lag", ToxicDirection.UPSTREAM, 10);
        proxy.toxics().timeout("hold", ToxicDirection.UPSTREAM, 0);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            for (int i = 0; i < 5; i++) {
                Sockets.write(socket, "x");
            }
            long start = System.nanoTime();
            latency.remove();

            assertThat(millisSince(start)).as("the removal returned, no hang").isLessThan(5000L);
            assertThat(Sockets.nextReadOutcome(server, Duration.ofMillis(200))).isEqualTo("TIMEOUT");
        }
    }
}
