package dev.resilienthttp.core.internal;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One client's redaction: the built-in rules of {@link Redaction}, then the patterns its user added, each match
 * replaced by {@code <redacted>}. Every report, log line and listener message of the client's calls goes through it.
 */
public final class Redactor {
    /** The built-in rules alone. */
    public static final Redactor BUILT_IN = new Redactor(List.of());

    private final List<Pattern> extra;

    /** The built-in rules and {@code extra}. */
    public Redactor(List<Pattern> extra) {
        this.extra = List.copyOf(extra);
    }

    /** {@code scheme://host[:port]/path}, safe. */
    public String uri(URI uri) {
        return extra(Redaction.uri(uri));
    }

    /** A third-party message made safe and bounded to {@code maxLength} characters; "" for null. */
    public String text(String message, int maxLength) {
        return Redaction.truncate(extra(Redaction.text(message, Integer.MAX_VALUE)), maxLength);
    }

    private String extra(String text) {
        String safe = text;
        for (Pattern pattern : extra) {
            safe = pattern.matcher(safe).replaceAll("<redacted>");
        }
        return safe;
    }
}
