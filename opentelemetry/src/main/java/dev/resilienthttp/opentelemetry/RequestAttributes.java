package dev.resilienthttp.opentelemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Set;

import static dev.resilienthttp.opentelemetry.TelemetryKeys.HTTP_REQUEST_METHOD;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.HTTP_REQUEST_METHOD_ORIGINAL;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.SERVER_ADDRESS;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.SERVER_PORT;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.URL_FULL;

/**
 * What a call's request says of every one of its attempts, computed once per call.
 *
 * @param spanName the span name: the method, or {@code HTTP} for a method the conventions do not know
 * @param span     the attributes every attempt's span starts with (known at its start, so samplers see them)
 * @param metric   the attributes every attempt's measurement starts with
 */
record RequestAttributes(String spanName, Attributes span, Attributes metric) {
    /** The methods of RFC 9110 and PATCH (RFC 5789): the conventions' known methods. */
    private static final Set<String> KNOWN_METHODS = Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH",
            "POST", "PUT", "TRACE");
    private static final String OTHER_METHOD = "_OTHER";

    /**
     * @param redactedUri the URI as the client's failure reports write it: no user info, query or fragment, and
     *                    secret-shaped segments masked
     */
    static RequestAttributes of(HttpRequest request, String redactedUri) {
        String method = request.method();
        boolean known = KNOWN_METHODS.contains(method);
        URI uri = request.uri();
        Attributes metric = Attributes.builder()
                .put(HTTP_REQUEST_METHOD, known ? method : OTHER_METHOD)
                .put(SERVER_ADDRESS, host(uri))
                .put(SERVER_PORT, port(uri))
                .build();
        AttributesBuilder span = metric.toBuilder().put(URL_FULL, redactedUri);
        if (!known) {
            span.put(HTTP_REQUEST_METHOD_ORIGINAL, method);
        }
        return new RequestAttributes(known ? method : "HTTP", span.build(), metric);
    }

    /** The host as the request names it, an IPv6 literal without its brackets. */
    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port the request goes to: the URI's, or its scheme's default. */
    private static long port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
