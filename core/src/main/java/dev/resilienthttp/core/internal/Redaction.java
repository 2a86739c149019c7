package dev.resilienthttp.core.internal;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes text safe for logs and dead-letter records: no user info, query string or fragment in URIs, no
 * secrets after well-known names, one line, bounded length. Exception messages are third-party text and may
 * carry any of these.
 */
public final class Redaction {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");
    /** A query or fragment after a URL or a bare path: signatures and tokens live there. */
    private static final Pattern QUERY_OR_FRAGMENT = Pattern.compile("((?:://|/)[^\\s?#\"']*)[?#][^\\s\"']*");
    /** An Authorization or Cookie header: the whole value is secret, scheme and all. */
    private static final Pattern WHOLE_VALUE = Pattern.compile(
            "(?i)(?<![A-Za-z0-9])((?:proxy-)?authorization|(?:set-)?cookie)(\\s*[=:]\\s*)[^\\r\\n]*");
    /** A name that announces a secret, in any of name=value, name: value, "name":"value", or name value. */
    private static final Pattern SECRET = Pattern.compile(
            "(?i)(?<![A-Za-z0-9])([a-z0-9_.-]*(?:bearer|basic|api[_-]?key|token|password|passwd|secret|signature"
                    + "|credential|session)[a-z0-9_.-]*)(\"?\\s*[=:]\\s*\"?|\\s+)[^\\s\",;&}]+");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\t]+");
    /** Packages whose exception messages describe the transport, never a body. */
    private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.");

    private Redaction() {
    }

    /** {@code scheme://host[:port]/path}: the URI without user info, query or fragment. */
    public static String uri(URI uri) {
        StringBuilder out = new StringBuilder();
        if (uri.getScheme() != null) {
            out.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            out.append(uri.getHost());
            if (uri.getPort() >= 0) {
                out.append(':').append(uri.getPort());
            }
        }
        if (uri.getRawPath() != null) {
            out.append(uri.getRawPath());
        }
        return out.toString();
    }

    /** A third-party message made safe and bounded to {@code maxLength} characters; "" for null. */
    public static String text(String message, int maxLength) {
        if (message == null) {
            return "";
        }
        String safe = LINE_BREAKS.matcher(message).replaceAll(" ");
        safe = USER_INFO.matcher(safe).replaceAll("");
        safe = QUERY_OR_FRAGMENT.matcher(safe).replaceAll("$1");
        safe = WHOLE_VALUE.matcher(safe).replaceAll("$1$2<redacted>");
        safe = SECRET.matcher(safe).replaceAll("$1$2<redacted>");
        return truncate(safe.strip(), maxLength);
    }

    /**
     * An exception's message made safe, for the JDK's own exceptions; for any other (a body handler's JSON parser,
     * say) nothing at all, since its message may quote the response body.
     */
    public static String exceptionMessage(Throwable exception, int maxLength) {
        String type = exception.getClass().getName();
        return JDK_PACKAGES.stream().anyMatch(type::startsWith) ? text(exception.getMessage(), maxLength) : "";
    }

    /** The text, cut to at most {@code maxLength} characters with an ellipsis when cut. */
    public static String truncate(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        return text.substring(0, Math.max(0, maxLength - 1)) + "\u2026";
    }
}
