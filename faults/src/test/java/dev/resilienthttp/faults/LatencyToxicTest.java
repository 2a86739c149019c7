package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The latency toxic (spec §3.1, §5.3 T4-T6, T19, T25, T27). Bounds: at least the delay, at most 5 s more (a loaded
 * machine may stall).
 */
@ToxiproxyTest
class LatencyToxicTest {
    private static final Duration SOON = Duration.ofSeconds(2);
    private static final long SLACK_MS = 5000;

    private final ToxiproxyClient client;
    private TestOrigin origin;
    private Proxy proxy;

    LatencyToxicTest(ToxiproxyClient client) {
        this.client = client;
    }

    @BeforeEach
    void createProxy() throws IOException {
        origin = TestOrigin.manual();
        proxy = client.createProxy("latency", "127.0.0.1:0", origin.address());
    }

    @AfterEach
    void stopOrigin() throws IOException {
        origin.close();
    }

    @Test
    void upstreamLatencyDelaysTheRequestByAtLeastTheLatency() throws Exception {
        proxy.toxics().latency("lag", ToxicDirection.UPSTREAM, 300);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            long start = System.nanoTime();
            Sockets.write(socket, "ping");
            assertThat(Sockets.readString(server, 4)).isEqualTo("ping");

            assertThat(millisSince(start)).isBetween(300L, 300L + SLACK_MS);
        }
    }

    @Test
    void downstreamLatencyDelaysTheResponseByAtLeastTheLatency() throws Exception {
        proxy.toxics().latency("lag", ToxicDirection.DOWNSTREAM, 300);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "ping");
            assertThat(Sockets.readString(server, 4)).isEqualTo("ping");
            long start = System.nanoTime();
            Sockets.write(server, "pong");
            assertThat(Sockets.readString(socket, 4)).isEqualTo("pong");

            assertThat(millisSince(start)).isBetween(300L, 300L + SLACK_MS);
        }
    }

    @Test
    void twoLatencyToxicsInOneDirectionAddUp() throws Exception {
        proxy.toxics().latency("first", ToxicDirection.UPSTREAM, 200);
        proxy.toxics().latency("second", ToxicDirection.UPSTREAM, 200);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            long start = System.nanoTime();
            Sockets.write(socket, "ping");
            assertThat(Sockets.readString(server, 4)).isEqualTo("ping");

            assertThat(millisSince(start)).isBetween(400L, 400L + SLACK_MS);
        }
    }

    @Test
    void latencyAddedToAnOpenConnectionDelaysItsNextResponse() throws Exception {
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(server, "one");
            assertThat(Sockets.readString(socket, 3)).isEqualTo("one");

            proxy.toxics().latency("late", ToxicDirection.DOWNSTREAM, 300);
            long start = System.nanoTime();
            Sockets.write(server, "two");
            assertThat(Sockets.readString(socket, 3)).isEqualTo("two");

            assertThat(millisSince(start)).isBetween(300L, 300L + SLACK_MS);
        }
    }

    @Test
    void latencyDoesNotThrottleThroughput() throws Exception {
        proxy.toxics().latency("lag", ToxicDirection.DOWNSTREAM, 100);
        byte[] block = new byte[12_000];

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            long start = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        server.getOutputStream().write(block);
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, "test-latency-writer");
            writer.start();
            Sockets.readExactly(socket, 100 * block.length);
            writer.join(SOON.toMillis());

            // 100 chunks delayed one after another would take at least 10 s.
            assertThat(millisSince(start)).isBetween(100L, 100L + SLACK_MS);
        }
    }

    @Test
    void noDataIsLostOrReorderedWhileLatencyIsAddedAndRemoved() throws Exception {
        int records = 2_000;
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            for (int i = 0; i < records; i++) {
                socket.getOutputStream().write(ByteBuffer.allocate(4).putInt(i).array());
                if (i % 200 == 0) {
                    Toxic toxic = proxy.toxics().latency("toggle", ToxicDirection.UPSTREAM, 1000);
                    toxic.remove();
                }
            }

            ByteBuffer received = ByteBuffer.wrap(Sockets.readExactly(server, records * 4));
            for (int i = 0; i < records; i++) {
                assertThat(received.getInt()).as("record %d", i).isEqualTo(i);
            }
        }
    }

    @Test
    void latencyWithToxicityZeroAddsNoDelay() throws Exception {
        proxy.toxics().latency("never", ToxicDirection.UPSTREAM, 10_000).setToxicity(0f);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            long start = System.nanoTime();
            Sockets.write(socket, "ping");
            assertThat(Sockets.readString(server, 4)).isEqualTo("ping");

            assertThat(millisSince(start)).as("well under the 10 s latency").isLessThan(5000L);
        }
    }

    static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
