package dev.resilienthttp.retry.internal;

import java.net.URI;
import java.util.Locale;

/** The name protections keep their state under: {@code host:port}, the port made explicit. */
public final class HostKey {
    private HostKey() {
    }

    /** {@code api.example.org:443} for {@code https://api.example.org/x}. */
    public static String of(URI uri) {
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    }
}
