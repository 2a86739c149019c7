package dev.resilienthttp.faults;

import static dev.resilienthttp.faults.LatencyToxicTest.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bandwidth, slicer and slow_close: data intact, only its timing changes (spec §3.1, §5.3 T8, T9, T22, T26). */
@ToxiproxyTest
class ShapingToxicsTest {
    private static final Duration SOON = Duration.ofSeconds(2);

    private final ToxiproxyClient client;
    private TestOrigin origin;
    private Proxy proxy;

    ShapingToxicsTest(ToxiproxyClient client) {
        this.client = client;
    }

    @BeforeEach
    void createProxy() throws IOException {
        origin = TestOrigin.manual();
        proxy = client.createProxy("shaping", "127.0.0.1:0", origin.address());
    }

    @AfterEach
    void stopOrigin() throws IOException {
        origin.close();
    }

    @Test
    void bandwidthLimitsTheRateAndKeepsTheDataIntact() throws Exception {
        proxy.toxics().bandwidth("narrow", ToxicDirection.UPSTREAM, 100);
        byte[] data = random(50_000);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            long start = System.nanoTime();
            socket.getOutputStream().write(data);

            assertThat(Sockets.readExactly(server, data.length)).isEqualTo(data);
            // 50 000 B at 100 KB/s is 500 ms.
            assertThat(millisSince(start)).isBetween(400L, 500L + 5000L);
        }
    }

    @Test
    void bandwidthZeroStallsUntilTheToxicIsRemoved() throws Exception {
        Toxic stall = proxy.toxics().bandwidth("stall", ToxicDirection.DOWNSTREAM, 0);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(server, "held");
            assertThat(Sockets.nextReadOutcome(socket, Duration.ofMillis(500))).isEqualTo("TIMEOUT");

            stall.remove();

            assertThat(Sockets.readString(socket, 4)).isEqualTo("held");
        }
    }

    @Test
    void slicerDeliversTheDataIntactInSeveralReads() throws Exception {
        // 20 ms between slices, 400 ms in all: a reader that a loaded machine holds up for tens of ms still reads
        // them in several reads.
        proxy.toxics().slicer("slices", ToxicDirection.DOWNSTREAM, 100, 20_000);
        byte[] data = random(2_000);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            server.getOutputStream().write(data);

            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int reads = 0;
            while (received.size() < data.length) {
                int n = in.read(buffer);
                assertThat(n).as("EOF after %d bytes", received.size()).isPositive();
                received.write(buffer, 0, n);
                reads++;
            }
            assertThat(received.toByteArray()).isEqualTo(data);
            assertThat(reads).isGreaterThan(1);
        }
    }

    @Test
    void slowCloseDelaysOnlyTheClose() throws Exception {
        proxy.toxics().slowClose("linger", ToxicDirection.DOWNSTREAM, 300);

        try (Socket socket = Sockets.connect(proxy.getListen())) {
            Socket server = origin.nextConnection(SOON);
            Sockets.write(server, "x");
            assertThat(Sockets.readString(socket, 1)).isEqualTo("x");
            long start = System.nanoTime();
            server.close();

            assertThat(Sockets.nextReadOutcome(socket, Duration.ofSeconds(3))).isEqualTo("EOF");
            assertThat(millisSince(start)).isBetween(300L, 5300L);
        }
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        return data;
    }
}
