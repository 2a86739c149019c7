package dev.resilienthttp.retry.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The name protections keep their state under: {@code host:port}, the port made explicit. */
public final class HostKey {
    /**
     * Keys by the raw authority of http and https URIs, so that a call does not build its key's string anew.
     * Bounded: past this many authorities, keys are built each time.
     */
    private static final int MAX_CACHED = 1024;
    private static final Map<String, String> HTTP_KEYS = new ConcurrentHashMap<>();
    private static final Map<String, String> HTTPS_KEYS = new ConcurrentHashMap<>();

    private HostKey() {
    }

    /** {@code api.example.org:443} for {@code https://api.example.org/x}. */
    public static String of(URI uri) {
        String authority = uri.getRawAuthority();
        Map<String, String> cache = "https".equals(uri.getScheme()) ? HTTPS_KEYS
                : "http".equals(uri.getScheme()) ? HTTP_KEYS : null;
        if (cache == null || authority == null) {
            return compute(uri);
        }
        String key = cache.get(authority);
        if (key == null) {
            key = compute(uri);
            if (cache.size() < MAX_CACHED) {
                cache.put(authority, key);
            }
        }
        return key;
    }

    private static String compute(URI uri) {
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    }
}
