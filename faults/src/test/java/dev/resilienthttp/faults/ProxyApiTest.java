package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Proxy CRUD through the real toxiproxy-java client (spec §2.3-2.5, §5.4 J1-J8, §5.1 A7-A14, A35, A36). */
@ToxiproxyTest
class ProxyApiTest {
    private static final String UPSTREAM = "127.0.0.1:1";

    private final ToxiproxyClient client;

    ProxyApiTest(ToxiproxyClient client) {
        this.client = client;
    }

    @Test
    void versionIsNonEmpty() throws IOException {
        assertThat(client.version()).contains("version");
    }

    @Test
    void createdProxyEchoesNameUpstreamAndIsEnabled() throws IOException {
        Proxy proxy = client.createProxy("created", "127.0.0.1:0", UPSTREAM);

        assertThat(proxy.getName()).isEqualTo("created");
        assertThat(proxy.getUpstream()).isEqualTo(UPSTREAM);
        assertThat(proxy.isEnabled()).isTrue();
        assertThat(proxy.getListen()).startsWith("127.0.0.1:");
    }

    @Test
    void listenPortZeroIsReportedAsTheBoundPortAndKeptAcrossDisableAndEnable() throws IOException {
        Proxy proxy = client.createProxy("zero", "127.0.0.1:0", UPSTREAM);
        int port = Sockets.port(proxy.getListen());
        assertThat(port).isPositive();

        proxy.disable();
        proxy.enable();

        assertThat(client.getProxy("zero").getListen()).isEqualTo("127.0.0.1:" + port);
        assertThat(Sockets.refuses(port)).isFalse();
    }

    @Test
    void localhostListenIsReportedAsIpv4Loopback() throws IOException {
        Proxy first = client.createProxy("first", "127.0.0.1:0", UPSTREAM);
        int port = Sockets.port(first.getListen());
        first.delete();

        Proxy proxy = client.createProxy("local", "localhost:" + port, UPSTREAM);

        assertThat(proxy.getListen()).isEqualTo("127.0.0.1:" + port);
    }

    @Test
    void getProxyOfAnUnknownNameThrowsAndGetProxyOrNullGivesNull() throws IOException {
        client.createProxy("known", "127.0.0.1:0", UPSTREAM);

        assertThat(client.getProxy("known").getUpstream()).isEqualTo(UPSTREAM);
        assertThat(client.getProxyOrNull("invalid-proxy")).isNull();
        assertThatThrownBy(() -> client.getProxy("invalid-proxy"))
                .isInstanceOf(IOException.class).hasMessageContaining("[404] proxy not found");
    }

    @Test
    void proxiesAreListedInNameOrder() throws IOException {
        client.createProxy("test-proxy2", "127.0.0.1:0", UPSTREAM);
        client.createProxy("test-proxy0", "127.0.0.1:0", UPSTREAM);
        client.createProxy("test-proxy1", "127.0.0.1:0", UPSTREAM);

        List<String> names = client.getProxies().stream().map(Proxy::getName).collect(Collectors.toList());

        assertThat(names).containsExactly("test-proxy0", "test-proxy1", "test-proxy2");
    }

    @Test
    void deletedProxyIsGoneAndItsPortRefuses() throws IOException {
        Proxy proxy = client.createProxy("doomed", "127.0.0.1:0", UPSTREAM);
        int port = Sockets.port(proxy.getListen());

        proxy.delete();

        assertThat(client.getProxies()).isEmpty();
        assertThat(Sockets.refuses(port)).isTrue();
        // toxiproxy-java's delete() reports a 404 as FileNotFoundException; the body is checked in RawApiTest.
        assertThatThrownBy(proxy::delete).isInstanceOf(IOException.class);
    }

    @Test
    void disableAndEnableFlipTheStateAndTheListener() throws IOException {
        Proxy proxy = client.createProxy("toggle", "127.0.0.1:0", UPSTREAM);
        int port = Sockets.port(proxy.getListen());

        proxy.disable();
        assertThat(proxy.isEnabled()).isFalse();
        assertThat(Sockets.refuses(port)).isTrue();

        proxy.enable();
        assertThat(proxy.isEnabled()).isTrue();
        assertThat(Sockets.refuses(port)).isFalse();
    }

    @Test
    void disablingTwiceIsHarmless() throws IOException {
        Proxy proxy = client.createProxy("twice", "127.0.0.1:0", UPSTREAM);

        proxy.disable();
        proxy.disable();

        assertThat(client.getProxy("twice").isEnabled()).isFalse();
    }

    @Test
    void duplicateNameGives409ProxyAlreadyExists() throws IOException {
        client.createProxy("dup", "127.0.0.1:0", UPSTREAM);

        assertThatThrownBy(() -> client.createProxy("dup", "127.0.0.1:0", UPSTREAM))
                .isInstanceOf(IOException.class).hasMessageContaining("[409] proxy already exists");
    }

    @Test
    void takenPortGives500AndTheNameIsFreeAfterwards() throws IOException {
        Proxy first = client.createProxy("holder", "127.0.0.1:0", UPSTREAM);

        assertThatThrownBy(() -> client.createProxy("clash", first.getListen(), UPSTREAM))
                .isInstanceOf(IOException.class).hasMessageStartingWith("[500] ");
        assertThat(client.getProxyOrNull("clash")).isNull();

        String listen = first.getListen();
        first.delete();
        assertThat(client.createProxy("clash", listen, UPSTREAM).getListen()).isEqualTo(listen);
    }

    @Test
    void updatingUpstreamMergesAndKeepsTheListenAddress() throws IOException {
        Proxy proxy = client.createProxy("moving", "127.0.0.1:0", UPSTREAM);

        proxy.setUpstream("127.0.0.1:2");

        Proxy fetched = client.getProxy("moving");
        assertThat(fetched.getUpstream()).isEqualTo("127.0.0.1:2");
        assertThat(fetched.getListen()).isEqualTo(proxy.getListen());
        assertThat(fetched.isEnabled()).isTrue();
    }

    @Test
    void updatingListenToPortZeroRebindsAndStoresThePortBound() throws IOException {
        Proxy proxy = client.createProxy("relisten", "127.0.0.1:0", UPSTREAM);

        proxy.setListen("localhost:0");

        // The old listener is closed before the new bind, so the kernel may hand the same port back.
        String listen = client.getProxy("relisten").getListen();
        assertThat(listen).startsWith("127.0.0.1:");
        assertThat(Sockets.port(listen)).isPositive();
        assertThat(Sockets.refuses(Sockets.port(listen))).isFalse();
    }

    @Test
    void resetEnablesProxiesAndRemovesEveryToxic() throws IOException {
        Proxy proxy = client.createProxy("resettable", "127.0.0.1:0", UPSTREAM);
        proxy.toxics().latency("lag", ToxicDirection.DOWNSTREAM, 100);
        proxy.toxics().bandwidth("slow", ToxicDirection.UPSTREAM, 10);
        proxy.disable();

        client.reset();

        Proxy after = client.getProxy("resettable");
        assertThat(after.isEnabled()).isTrue();
        assertThat(after.toxics().getAll()).isEmpty();
        assertThat(Sockets.refuses(Sockets.port(after.getListen()))).isFalse();
    }
}
