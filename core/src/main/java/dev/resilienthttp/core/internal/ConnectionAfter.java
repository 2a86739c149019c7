package dev.resilienthttp.core.internal;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.Flow;
import java.util.stream.BaseStream;

/** What became of an exchange's connection when the exchange ended, as the client can tell from its response. */
public enum ConnectionAfter {
    /** Closed: the exchange failed, its body was cut off, or the response said {@code Connection: close}. */
    CLOSED,
    /** Back in the pool, idle, for the next request to the origin (HTTP/1.1 keep-alive). */
    POOLED,
    /** Still shared by the origin's other requests (HTTP/2). */
    SHARED;

    /**
     * What became of the connection of an exchange that ended with {@code response}: HTTP/2 keeps sharing it; an
     * HTTP/1.1 one goes back to the pool unless the response said {@code Connection: close} or the policy judged it
     * a failure (its body is cut off at a bound, which may close the connection), or its body is a stream the caller
     * is still reading, whose connection is busy until then. Counting a connection closed errs towards calling a
     * later reset fresh, never stale.
     */
    public static ConnectionAfter of(HttpResponse<?> response, boolean judgedAFailure) {
        if (response.version() == HttpClient.Version.HTTP_2) {
            return SHARED;
        }
        if (judgedAFailure || streaming(response.body())) {
            return CLOSED;
        }
        for (String value : response.headers().allValues("Connection")) {
            if (value.toLowerCase(Locale.ROOT).contains("close")) {
                return CLOSED;
            }
        }
        return POOLED;
    }

    /** A body handed over before it was read ({@code ofInputStream}, {@code ofLines}, {@code ofPublisher}). */
    private static boolean streaming(Object body) {
        return body instanceof InputStream || body instanceof BaseStream || body instanceof Flow.Publisher;
    }
}
