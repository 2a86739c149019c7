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

/** Toxicity is drawn per connection and direction: 0 never applies, 1 always does (spec §1.4, §5.3 T15). */
@ToxiproxyTest
class ToxicityTest {
    private static final Duration SOON = Duration.ofSeconds(2);

    private final ToxiproxyClient client;
    private TestOrigin origin;
    private Proxy proxy;

    ToxicityTest(ToxiproxyClient client) {
        this.client = client;
    }

    @BeforeEach
    void createProxy() throws IOException {
        origin = TestOrigin.manual();
        proxy = client.createProxy("toxicity", "127.0.0.1:0", origin.address());
    }

    @AfterEach
    void stopOrigin() throws IOException {
        origin.close();
    }

    @Test
    void timeoutWithToxicityZeroLetsDataThrough() throws Exception {
        proxy.toxics().timeout("maybe", ToxicDirection.UPSTREAM, 100).setToxicity(0f);

        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "through");

            assertThat(Sockets.readString(server, 7)).isEqualTo("through");
        }
    }

    @Test
    void timeoutUpdatedToToxicityOneClosesTheNextConnectionWithoutData() throws Exception {
        Toxic toxic = proxy.toxics().timeout("maybe", ToxicDirection.UPSTREAM, 100);
        toxic.setToxicity(0f);
        toxic.setToxicity(1f);

        long start = System.nanoTime();
        try (Socket socket = Sockets.connect(proxy.getListen()); Socket server = origin.nextConnection(SOON)) {
            Sockets.write(socket, "dropped");

            assertThat(Sockets.nextReadOutcome(server, SOON)).isEqualTo("EOF");
            assertThat(millisSince(start)).isBetween(100L, 5100L);
        }
    }
}
