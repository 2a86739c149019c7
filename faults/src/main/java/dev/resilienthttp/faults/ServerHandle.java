package dev.resilienthttp.faults;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's Toxiproxy, kept in the JUnit store: the in-JVM server it owns, or only the
 * address of a real one from {@code TOXIPROXY_URL} (which it never stops).
 */
final class ServerHandle implements ExtensionContext.Store.CloseableResource {
    /** Same variable as Toxiproxy's own CLI, e.g. {@code http://127.0.0.1:8474}. */
    static final String URL_VARIABLE = "TOXIPROXY_URL";

    private final Optional<ToxiproxyServer> server;
    private final ToxiproxyEndpoint endpoint;

    private ServerHandle(Optional<ToxiproxyServer> server, ToxiproxyEndpoint endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    static ServerHandle open(Map<String, String> environment) {
        String url = environment.get(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.trim());
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(URL_VARIABLE + " must be a URL like http://127.0.0.1:8474, got " + url);
            }
            return new ServerHandle(Optional.empty(), new ToxiproxyEndpoint(uri, false));
        }
        ToxiproxyServer server = ToxiproxyServer.start();
        return new ServerHandle(Optional.of(server), new ToxiproxyEndpoint(server.apiUri(), true));
    }

    ToxiproxyEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.ifPresent(ToxiproxyServer::close);
    }
}
