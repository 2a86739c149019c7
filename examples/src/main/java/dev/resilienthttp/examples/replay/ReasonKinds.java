package dev.resilienthttp.examples.replay;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kind of a failure the original service met, read by the replay's report from the {@code fail_reason} text
 * that service wrote: it wrote no kind of its own (resilient-http writes the {@code rh-fail-kind} header). The names
 * are core's {@code FailureKind}s, so both runs are counted in one vocabulary. A raw client cannot tell a stale
 * pooled connection from a fresh one, so every reset reads as {@code CONNECTION_RESET}.
 */
final class ReasonKinds {
    private static final Pattern STATUS = Pattern.compile("HTTP (\\d{3})$");

    private ReasonKinds() {
    }

    static String kindOf(String reason) {
        if (reason == null) {
            return "UNKNOWN";
        }
        Matcher status = STATUS.matcher(reason);
        if (status.find()) {
            int code = Integer.parseInt(status.group(1));
            if (code == 429) {
                return "THROTTLED";
            }
            if (code == 403) {
                return "FORBIDDEN";
            }
            return code >= 500 ? "SERVER_ERROR" : "CLIENT_ERROR";
        }
        String text = reason.toLowerCase(Locale.ROOT);
        if (text.contains("reset") || text.contains("header parser received no bytes") || text.contains("eof")
                || text.contains("connection closed")) {
            return "CONNECTION_RESET";
        }
        if (text.contains("refused")) {
            return "CONNECT_FAILURE";
        }
        if (text.contains("timed out") || text.contains("timeout")) {
            return "REQUEST_TIMEOUT";
        }
        return "IO_ERROR";
    }
}
