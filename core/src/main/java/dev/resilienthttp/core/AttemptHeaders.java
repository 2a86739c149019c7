package dev.resilienthttp.core;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The headers an instrumentation sets on one attempt's request, checked as they are set: a header the JDK would
 * refuse must fail the instrumentation's own call, not the attempt.
 */
final class AttemptHeaders implements BiConsumer<String, String> {
    /** The JDK's own: its {@code HttpRequest} builder refuses them, and so does its client for any request. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    /** RFC 9110 section 5.6.2: the characters of a token, besides letters and digits. */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private final Map<String, List<String>> set = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private boolean closed;

    @Override
    public void accept(String name, String value) {
        if (closed) {
            throw new IllegalStateException("an attempt's headers are set in attemptStarting, not after it returned");
        }
        if (!isToken(name) || RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("not a header an instrumentation may set: " + name);
        }
        if (!isFieldValue(value)) {
            throw new IllegalArgumentException("header " + name + ": a value is one line of tab, space, visible ASCII "
                    + "and Latin-1 characters (what the JDK sends)");
        }
        set.put(name, List.of(value));
    }

    /**
     * {@code sent} with the headers set, each replacing one of the same name; {@code sent} itself when none was set.
     * No header is set from now on.
     */
    HttpRequest onto(HttpRequest sent) {
        closed = true;
        return set.isEmpty() ? sent : PreparedRequest.withHeaders(sent, set);
    }

    /**
     * Whether the JDK's client sends {@code value} as it is: RFC 9110's field-value characters (tab, space, visible
     * ASCII, obs-text 0x80-0xFF). Anything else the JDK refuses with an exception that would fail the attempt.
     */
    private static boolean isFieldValue(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c == 0x7F || c > 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
