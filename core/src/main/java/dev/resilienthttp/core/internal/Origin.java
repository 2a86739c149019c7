package dev.resilienthttp.core.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a request goes, as the one key every part of the library uses for it: the JDK's connection pool (scheme,
 * host and port) and the retry module's protections (host and port). The port is explicit (443 for https, 80 for
 * http when the URI names none) and the scheme and host are lower-cased, so {@code https://API.example.org/} and
 * {@code https://api.example.org:443/} are one origin everywhere.
 *
 * <p>Origins are cached by scheme and authority, so that a call does not build its strings anew; a URI with user
 * info is never cached (the cache holds no credentials), and the cache is bounded.
 */
public final class Origin {
    /** Past this many authorities, origins are built each time. */
    private static final int MAX_CACHED = 1024;
    private static final Map<String, Origin> HTTP = new ConcurrentHashMap<>();
    private static final Map<String, Origin> HTTPS = new ConcurrentHashMap<>();

    private final String key;
    private final String hostPort;

    private Origin(String scheme, String host, int port) {
        this.hostPort = host + ":" + port;
        this.key = scheme + "://" + hostPort;
    }

    /** The origin of {@code uri}, which must be absolute. */
    public static Origin of(URI uri) {
        String authority = uri.getRawAuthority();
        Map<String, Origin> cache = "https".equals(uri.getScheme()) ? HTTPS
                : "http".equals(uri.getScheme()) ? HTTP : null;
        if (cache == null || authority == null || uri.getRawUserInfo() != null) {
            return compute(uri);
        }
        Origin origin = cache.get(authority);
        if (origin == null) {
            origin = compute(uri);
            if (cache.size() < MAX_CACHED) {
                cache.put(authority, origin);
            }
        }
        return origin;
    }

    private static Origin compute(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equals(scheme) ? 443 : 80;
        }
        return new Origin(scheme, String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT), port);
    }

    /**
     * {@code hostPort} ({@code api.example.org:443}, as {@link #hostPort()} writes it) in the form {@link #hostPort()}
     * gives: the host lower-cased, the port explicit. For a host named by something other than a URI, such as a
     * record from another instance of the service.
     *
     * @throws IllegalArgumentException if it is not a host and a port, and nothing else
     */
    public static String normaliseHostPort(String hostPort) {
        URI uri;
        try {
            uri = new URI("http://" + hostPort);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not host:port: " + hostPort, e);
        }
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("not host:port: " + hostPort);
        }
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort();
    }

    /** {@code https://api.example.org:443}: the key of a connection pool. */
    public String key() {
        return key;
    }

    /** {@code api.example.org:443}: the key of a host's protections, as users name hosts. */
    public String hostPort() {
        return hostPort;
    }

    @Override
    public String toString() {
        return key;
    }
}
