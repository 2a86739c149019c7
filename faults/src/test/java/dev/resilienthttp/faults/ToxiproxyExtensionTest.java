package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The extension itself: injection, clean-up between tests, and the choice of server. */
@ToxiproxyTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ToxiproxyExtensionTest {
    private final ToxiproxyClient constructorClient;
    private ToxiproxyClient beforeEachClient;

    ToxiproxyExtensionTest(ToxiproxyClient client) {
        this.constructorClient = client;
    }

    @BeforeEach
    void remember(ToxiproxyClient client) {
        beforeEachClient = client;
    }

    @Test
    @Order(1)
    void constructorBeforeEachAndTestMethodGetTheSameClient(ToxiproxyClient client, ToxiproxyEndpoint endpoint)
            throws IOException {
        assertThat(client).isSameAs(constructorClient).isSameAs(beforeEachClient).isSameAs(endpoint.client());
        client.createProxy("left-over", "127.0.0.1:0", "127.0.0.1:1");
    }

    @Test
    @Order(2)
    void proxiesOfAnEarlierTestAreDeletedAndResetStillWorks(ToxiproxyClient client) throws IOException {
        assertThat(client.getProxies()).isEmpty();
        client.createProxy("fresh", "127.0.0.1:0", "127.0.0.1:1");

        client.reset();

        assertThat(client.getProxy("fresh").isEnabled()).isTrue();
    }

    @Test
    void withoutToxiproxyUrlTheServerIsTheInJvmOneOnLoopback(ToxiproxyEndpoint endpoint) {
        if (System.getenv(ServerHandle.URL_VARIABLE) == null) {
            assertThat(endpoint.inJvm()).isTrue();
            assertThat(endpoint.host()).isEqualTo("127.0.0.1");
        } else {
            assertThat(endpoint.inJvm()).isFalse();
        }
    }

    @Test
    void toxiproxyUrlSelectsARealServerWithoutStartingOne() {
        ServerHandle handle = ServerHandle.open(Map.of(ServerHandle.URL_VARIABLE, "http://127.0.0.1:18474"));

        assertThat(handle.endpoint().inJvm()).isFalse();
        assertThat(handle.endpoint().host()).isEqualTo("127.0.0.1");
        assertThat(handle.endpoint().apiUri().getPort()).isEqualTo(18474);
        handle.close();
    }
}
