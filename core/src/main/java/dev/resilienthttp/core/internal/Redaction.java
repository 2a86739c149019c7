package dev.resilienthttp.core.internal;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Makes text safe for logs and dead-letter records: no user info, query string or fragment in URIs, no
 * secrets after well-known names, one line, bounded length. Exception messages are third-party text and may
 * carry any of these.
 */
public final class Redaction {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");
    private static final Pattern QUERY_OR_FRAGMENT = Pattern.compile("(://[^\\s?#\"']*)[?#][^\\s\"']*");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)\\b((?:proxy-)?authorization\\s*[=:]\\s*)(?:(?:bearer|basic|digest|negotiate)\\s+)?\\S+");
    private static final Pattern SECRET = Pattern.compile(
            "(?i)\\b(bearer|basic|api[_-]?key|access[_-]?token|token|password"
                    + "|passwd|secret|cookie)(\\s*[=:]\\s*|\\s+)\\S+");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\t]+");

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
        safe = AUTHORIZATION.matcher(safe).replaceAll("$1<redacted>");
        safe = SECRET.matcher(safe).replaceAll("$1$2<redacted>");
        return truncate(safe.strip(), maxLength);
    }

    /** The text, cut to at most {@code maxLength} characters with an ellipsis when cut. */
    public static String truncate(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        return text.substring(0, Math.max(0, maxLength - 1)) + "\u2026";
    }
}
