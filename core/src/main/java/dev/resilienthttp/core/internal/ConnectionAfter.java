package dev.resilienthttp.core.internal;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Locale;

/** What became of an exchange's connection when the exchange ended, as the client can tell from its response. */
public enum ConnectionAfter {
    /** Closed: the exchange failed, the client cut its body off, or the response said {@code Connection: close}. */
    CLOSED,
    /** Back in the pool, idle, for the next request to the origin (HTTP/1.1 keep-alive). */
    POOLED,
    /** Still shared by the origin's other requests (HTTP/2). */
    SHARED;

    /**
     * What became of the connection of an exchange that ended with {@code response}: HTTP/2 keeps sharing it; an
     * HTTP/1.1 one is closed when the client cut its body off ({@code bodyCut}: a failure's body past the prefix the
     * client keeps) or the response said {@code Connection: close}, and otherwise goes back to the pool, as the JDK
     * does once a body is read to its end, whether it was a success's, a failure's short one (the client reads it
     * whole), or a stream the caller still reads (counted idle from now: the JDK pools it once the caller is done, and
     * a short body's at once).
     *
     * <p>Where the client cannot know, it counts the connection pooled, not closed. Counting a pooled connection closed
     * makes a reset on it, once it has sat idle, look like a fresh connection's: counted against the host by the
     * circuit breaker, backed off, and no new pool, so every retry takes the next dead connection (a pool of 200
     * connections held through a {@code Retry-After} and then reset by a NAT opened the breaker that way). Counting a
     * closed or busy connection pooled errs the other way, calling a fresh connection's reset stale; but each stale
     * connection replaces the generation, whose new pool starts empty and known, so a host that resets new
     * connections is soon seen doing it.
     */
    public static ConnectionAfter of(HttpResponse<?> response, boolean bodyCut) {
        if (response.version() == HttpClient.Version.HTTP_2) {
            return SHARED;
        }
        if (bodyCut) {
            return CLOSED;
        }
        for (String value : response.headers().allValues("Connection")) {
            if (value.toLowerCase(Locale.ROOT).contains("close")) {
                return CLOSED;
            }
        }
        return POOLED;
    }
}
