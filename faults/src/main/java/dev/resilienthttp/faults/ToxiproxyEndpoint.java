package dev.resilienthttp.faults;

import dev.resilienthttp.faults.internal.api.RestCalls;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The Toxiproxy a test talks to, as {@link ToxiproxyExtension} injects it: the in-JVM
 * {@link ToxiproxyServer}, or a real Toxiproxy named by {@code TOXIPROXY_URL}.
 */
public final class ToxiproxyEndpoint {
    private final URI apiUri;
    private final boolean inJvm;
    private volatile ToxiproxyClient client;

    ToxiproxyEndpoint(URI apiUri, boolean inJvm) {
        this.apiUri = apiUri;
        this.inJvm = inJvm;
        this.client = newClient();
    }

    /**
     * The client for the current test. The extension gives each test a new one, because a
     * client's {@code reset()} fails on proxies it saw that an earlier test deleted.
     */
    public ToxiproxyClient client() {
        return client;
    }

    /** The server's host: proxies created with {@code "127.0.0.1:0"} listen there. */
    public String host() {
        return apiUri.getHost();
    }

    public URI apiUri() {
        return apiUri;
    }

    /** True for the in-JVM server; false for a real Toxiproxy (which has no {@code idle_reset}). */
    public boolean inJvm() {
        return inJvm;
    }

    /**
     * Adds our {@code idle_reset} toxic (not part of Toxiproxy) to a proxy: it emulates a NAT
     * gateway that forgets a connection once no byte has crossed it, either way, for longer than
     * {@code idle}. After that the server's bytes are dropped, and the client's next bytes are
     * dropped (never reach the upstream) and answered with RST, so the client sees "Connection
     * reset". It acts on whole connections, existing ones included. toxiproxy-java's enum cannot
     * name this type, so its {@code toxics().getAll()} and {@code get} fail while one is present;
     * remove it with {@link #removeToxic}.
     *
     * @throws IOException {@code [400] invalid toxic type} from a real Toxiproxy, {@code [404]}
     *     for an unknown proxy, {@code [409]} for a name in use
     */
    public void addIdleReset(String proxyName, String toxicName, Duration idle) throws IOException {
        Objects.requireNonNull(toxicName, "toxicName");
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle must not be negative: " + idle);
        }
        String body = "{\"name\":" + quote(toxicName) + ",\"type\":\"idle_reset\",\"stream\":\"upstream\","
                + "\"toxicity\":1,\"attributes\":{\"idle_ms\":" + idle.toMillis() + "}}";
        RestCalls.send(apiUri, "POST", "/proxies/" + path(proxyName) + "/toxics", body);
    }

    /** Removes any toxic by name, including types toxiproxy-java cannot parse. */
    public void removeToxic(String proxyName, String toxicName) throws IOException {
        RestCalls.send(apiUri, "DELETE", "/proxies/" + path(proxyName) + "/toxics/" + path(toxicName), null);
    }

    /** Swaps in a fresh client for the next test. */
    void renewClient() {
        client = newClient();
    }

    private ToxiproxyClient newClient() {
        int port = apiUri.getPort() < 0 ? 8474 : apiUri.getPort();
        return new ToxiproxyClient(apiUri.getScheme(), apiUri.getHost(), port);
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
