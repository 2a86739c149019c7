package dev.resilienthttp.faults;

import static dev.resilienthttp.faults.RawApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** {@code POST /populate} (spec §2.6, §5.1 A26-A32). */
@ToxiproxyTest
class PopulateTest {
    private final ToxiproxyClient client;
    private final URI api;

    PopulateTest(ToxiproxyEndpoint endpoint) {
        this.client = endpoint.client();
        this.api = endpoint.apiUri();
    }

    @Test
    void populateCreatesProxiesInInputOrderEnabledByDefault() throws IOException {
        RawHttp.Reply reply = RawHttp.send(api, "POST", "/populate", "["
                + "{\"name\":\"zeta\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"},"
                + "{\"name\":\"alpha\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:2\",\"enabled\":true}]");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.body().indexOf("\"zeta\"")).isLessThan(reply.body().indexOf("\"alpha\""));
        assertThat(Sockets.refuses(Sockets.port(client.getProxy("zeta").getListen()))).isFalse();
        assertThat(Sockets.refuses(Sockets.port(client.getProxy("alpha").getListen()))).isFalse();
    }

    @Test
    void populatedDisabledProxyDoesNotListen() throws IOException {
        RawHttp.Reply reply = RawHttp.send(api, "POST", "/populate",
                "[{\"name\":\"off\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\",\"enabled\":false}]");

        assertThat(reply.status()).isEqualTo(201);
        Proxy proxy = client.getProxy("off");
        assertThat(proxy.isEnabled()).isFalse();
        assertThat(proxy.getListen()).isEqualTo("127.0.0.1:0");
    }

    @Test
    void identicalExistingProxyKeepsItsToxicsAndAChangedOneIsReplaced() throws IOException {
        Proxy same = client.createProxy("same", "127.0.0.1:0", "127.0.0.1:1");
        same.toxics().latency("kept", ToxicDirection.DOWNSTREAM, 10);
        Proxy moved = client.createProxy("moved", "127.0.0.1:0", "127.0.0.1:1");
        moved.toxics().latency("dropped", ToxicDirection.DOWNSTREAM, 10);

        RawHttp.Reply reply = RawHttp.send(api, "POST", "/populate", "["
                + "{\"name\":\"same\",\"listen\":\"" + same.getListen() + "\",\"upstream\":\"127.0.0.1:1\"},"
                + "{\"name\":\"moved\",\"listen\":\"localhost:0\",\"upstream\":\"127.0.0.1:1\"}]");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(client.getProxy("same").toxics().getAll()).hasSize(1);
        Proxy replaced = client.getProxy("moved");
        assertThat(replaced.toxics().getAll()).isEmpty();
        // Replaced, not kept: its toxic is gone. Its port may be the old one (closed before the new bind).
        assertThat(replaced.getListen()).startsWith("127.0.0.1:");
        assertThat(Sockets.refuses(Sockets.port(replaced.getListen()))).isFalse();
    }

    @Test
    void entryWithoutNameGives400AtProxyNAndCreatesNothing() throws IOException {
        assertError(RawHttp.send(api, "POST", "/populate", "["
                + "{\"name\":\"fine\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"},"
                + "{\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}]"), 400, "missing required field: name at proxy 2");

        assertThat(client.getProxies()).isEmpty();
    }

    @Test
    void badListenStopsPopulateKeepingTheEntriesBeforeIt() throws IOException {
        RawHttp.Reply reply = RawHttp.send(api, "POST", "/populate", "["
                + "{\"name\":\"one\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"},"
                + "{\"name\":\"two\",\"listen\":\"local373\",\"upstream\":\"127.0.0.1:1\"},"
                + "{\"name\":\"three\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}]");

        assertThat(reply.status()).isGreaterThanOrEqualTo(400);
        assertThat(reply.body()).contains("\"error\":");
        assertThat(client.getProxyOrNull("one")).isNotNull();
        assertThat(client.getProxyOrNull("two")).isNull();
        assertThat(client.getProxyOrNull("three")).isNull();
    }

    @Test
    void populatedProxyTakesToxics() throws IOException {
        RawHttp.send(api, "POST", "/populate", "[{\"name\":\"pop\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}]");

        client.getProxy("pop").toxics().latency("lag", ToxicDirection.UPSTREAM, 5);

        assertThat(client.getProxy("pop").toxics().getAll()).hasSize(1);
    }
}
