package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limit_data toxic (spec §3.1, §5.3 T11, T12, T20). */
@ToxiproxyTest
class LimitDataToxicTest {
    private static final Duration SOON = Duration.ofSeconds(2);

    private final ToxiproxyClient client;
    private TestOrigin origin;
    private Proxy proxy;

    LimitDataToxicTest(ToxiproxyClient client) {
        this.client = client;
    }

    @BeforeEach
    void createProxy() throws IOException {
        origin = TestOrigin.manual();
        proxy = client.createProxy("limit", "127.0.0.1:0", origin.address());
    }

    @AfterEach
    void stopOrigin() throws IOException {
        origin.close();
    }

    @Test
    void limitDataTruncatesTheResponseThenCloses() throws Exception {
        proxy.toxics().limitData("cap", ToxicDirection.DOWNSTREAM, 100);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            server.getOutputStream().write(new byte[150]);

            assertThat(Sockets.readToEof(socket)).hasSize(100);
        }
    }

    @Test
    void limitDataCountsAcrossChunks() throws Exception {
        proxy.toxics().limitData("cap", ToxicDirection.UPSTREAM, 100);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "a".repeat(90));
            assertThat(Sockets.readString(server, 90)).hasSize(90);
            Sockets.write(socket, "b".repeat(20));

            assertThat(Sockets.readToEof(server)).asString().isEqualTo("b".repeat(10));
        }
    }

    @Test
    void limitDataAddedToAnOpenConnectionCountsFromZero() throws Exception {
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            server.getOutputStream().write(new byte[500]);
            Sockets.readExactly(socket, 500);

            proxy.toxics().limitData("late-cap", ToxicDirection.DOWNSTREAM, 50);
            server.getOutputStream().write(new byte[80]);

            assertThat(Sockets.readToEof(socket)).hasSize(50);
        }
    }

    @Test
    void limitZeroClosesOnTheFirstChunkForwardingNothing() throws Exception {
        proxy.toxics().limitData("nothing", ToxicDirection.UPSTREAM, 0);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "dropped");

            assertThat(Sockets.readToEof(server)).isEmpty();
        }
    }
}
