package dev.resilienthttp.examples.replay;

import dev.resilienthttp.faults.ToxiproxyServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The network between a service and the API: the test kit's in-JVM fault proxy on 127.0.0.1, one proxy per run.
 * Each proxy carries the incident's two faults:
 * <ul>
 *   <li>{@code idle_reset} (the test kit's own toxic): a NAT gateway that forgets a connection idle longer than
 *       {@code idle} and answers its next packet with RST, without passing the request on;</li>
 *   <li>{@code reset_peer} on the upstream stream, drawn once per connection with probability {@code resetRate}:
 *       a box on the path that resets a connection as its first request goes through.</li>
 * </ul>
 * The proxy's draws come from its own generator, not from the replay's seed.
 */
final class FaultyPath implements AutoCloseable {
    private final ToxiproxyServer server;

    private FaultyPath(ToxiproxyServer server) {
        this.server = server;
    }

    static FaultyPath start() {
        return new FaultyPath(ToxiproxyServer.start());
    }

    /** A new proxy named {@code name} to {@code 127.0.0.1:upstreamPort}, with both faults. */
    Proxy open(String name, int upstreamPort, Duration idle, double resetRate) throws IOException {
        Proxy proxy = server.client().createProxy(name, "127.0.0.1:0", "127.0.0.1:" + upstreamPort);
        if (resetRate > 0) {
            proxy.toxics().resetPeer("reset-peer", ToxicDirection.UPSTREAM, 0).setToxicity((float) resetRate);
        }
        // toxiproxy-java's enum cannot name our idle_reset, so it goes through the REST API.
        post("/proxies/" + name + "/toxics", "{\"name\":\"nat-gateway\",\"type\":\"idle_reset\",\"stream\":\"upstream\","
                + "\"toxicity\":1,\"attributes\":{\"idle_ms\":" + idle.toMillis() + "}}");
        return proxy;
    }

    private void post(String path, String json) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) server.apiUri().resolve(path).toURL().openConnection();
        try {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String answer = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            if (status >= 300) {
                throw new IOException("the fault proxy answered " + status + " to POST " + path + ": " + answer);
            }
        } finally {
            connection.disconnect();
        }
    }

    /** Closes every proxy and connection, and waits for the proxy's threads. */
    @Override
    public void close() {
        server.close();
    }
}
