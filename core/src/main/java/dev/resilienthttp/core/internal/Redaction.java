package dev.resilienthttp.core.internal;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes text safe for logs and dead-letter records: no user info, query string or fragment in URIs, no path
 * parameters ({@code ;jsessionid=…}), no path segment that looks like a secret (a long token mixing upper and lower
 * case and digits, or a long run of hex digits: webhook and API tokens), no e-mail address, no secret after a
 * well-known name, one line, bounded length. Exception messages are third-party text and may carry any of these.
 * Every rule is idempotent: text made safe twice reads the same.
 */
public final class Redaction {
    /** User info after a scheme ({@code https://user:pass@host}), or bare before a host ({@code user:pass@proxy}). */
    private static final Pattern USER_INFO = Pattern.compile(
            "(?<=://)[^/\\s]*@|(?<![\\w.%+-])[\\w.%+-]++:[^\\s/@]*+@(?=[\\w.-])");
    /**
     * A query or fragment, also percent-encoded ({@code %3F}, {@code %23}), after a URL, a bare path or a host name:
     * signatures and tokens live there.
     */
    private static final Pattern QUERY_OR_FRAGMENT = Pattern.compile(
            "((?:://|/|[\\w-]\\.[A-Za-z]{2,})[^\\s?#\"']*?)(?:[?#]|%3[Ff]|%23)[^\\s\"']*");
    /** An Authorization or Cookie header: the whole value is secret, scheme and all. */
    private static final Pattern WHOLE_VALUE = Pattern.compile(
            "(?i)(?<![A-Za-z0-9])((?:proxy-)?authorization|(?:set-)?cookie)(\\s*[=:]\\s*)[^\\r\\n]*");
    /**
     * A word that announces a secret; the name around it, the separator and the value are found by
     * {@link #secrets}, in one pass, rather than by a pattern that backtracks on long names.
     */
    private static final Pattern SECRET_WORD = Pattern.compile(
            "(?i)bearer|basic|api[_-]?key|token|passw(?:or)?d|secret|signature|sig|credential|session");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\t]+");
    /** A path parameter's value: {@code ;jsessionid=…}, {@code ;token=…}. */
    private static final Pattern PATH_PARAMETER = Pattern.compile("(;[A-Za-z0-9_.-]+=)[^/;?#\\s\"']+");
    /** An e-mail address, in a path or anywhere. */
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** A run of characters a token is made of, at least 20 long; {@link #looksRandom} decides. */
    private static final Pattern TOKEN_CANDIDATE = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])");
    /** A run of 32 or more hex digits: a key, a signature, a hash-shaped token. */
    private static final Pattern LONG_HEX = Pattern.compile("(?i)(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])");
    private static final String REDACTED = "<redacted>";
    /** What the rules look at of a message: more than any report keeps, little enough for every rule to be cheap. */
    private static final int MAX_INPUT = 4096;
    /** Quoted text or a JSON object in a third-party message: it may be the data a parser read. */
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'|\\{[^{}]*}");
    /** A quoted name (a field, a type) says what was wrong, and is kept. */
    private static final Pattern QUOTED_NAME = Pattern.compile("([\"'])[A-Za-z][A-Za-z0-9_.]{0,63}\\1");

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
            out.append(path(uri.getRawPath()));
        }
        return out.toString();
    }

    /** A path with its parameters, e-mail addresses and token-shaped segments masked. */
    private static String path(String path) {
        String safe = PATH_PARAMETER.matcher(path).replaceAll("$1" + REDACTED);
        safe = EMAIL.matcher(safe).replaceAll(REDACTED);
        return tokens(safe);
    }

    /** Masks runs that look like generated secrets, and leaves words, slugs and numbers alone. */
    private static String tokens(String text) {
        String safe = LONG_HEX.matcher(text).replaceAll(REDACTED);
        Matcher candidate = TOKEN_CANDIDATE.matcher(safe);
        StringBuilder out = new StringBuilder();
        while (candidate.find()) {
            candidate.appendReplacement(out, looksRandom(candidate.group()) ? REDACTED
                    : Matcher.quoteReplacement(candidate.group()));
        }
        candidate.appendTail(out);
        return out.toString();
    }

    /** Upper case, lower case and digits all in one run of 20 or more: base62 and base64 tokens, not prose. */
    private static boolean looksRandom(String run) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
        }
        return upper && lower && digit;
    }

    /** A third-party message made safe and bounded to {@code maxLength} characters; "" for null. */
    public static String text(String message, int maxLength) {
        if (message == null) {
            return "";
        }
        // Bounded first: every rule below then runs on at most a few kilobytes, whatever a message quotes.
        String safe = LINE_BREAKS.matcher(truncate(message, MAX_INPUT)).replaceAll(" ");
        safe = USER_INFO.matcher(safe).replaceAll("");
        safe = QUERY_OR_FRAGMENT.matcher(safe).replaceAll("$1");
        safe = WHOLE_VALUE.matcher(safe).replaceAll("$1$2<redacted>");
        safe = path(safe);
        safe = secrets(safe);
        return truncate(safe.strip(), maxLength);
    }

    /**
     * Masks the value after a name that announces a secret, in any of {@code name=value}, {@code name: value},
     * {@code "name":"value"} or {@code name value}. The name is the run of letters, digits, {@code _ . -} around the
     * word ({@code client_secret}, {@code X-Amz-Signature}, {@code jsessionid}); a value already masked is left.
     */
    private static String secrets(String text) {
        Matcher word = SECRET_WORD.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        int length = text.length();
        while (from < length && word.find(from)) {
            from = word.end();
            int nameStart = word.start();
            while (nameStart > 0 && isNameChar(text.charAt(nameStart - 1))) {
                nameStart--;
            }
            if (nameStart < copied) {
                continue;
            }
            int at = word.end();
            while (at < length && isNameChar(text.charAt(at))) {
                at++;
            }
            int afterName = at;
            if (at < length && text.charAt(at) == '"') {
                at++;
            }
            int spaces = at;
            while (at < length && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at < length && (text.charAt(at) == '=' || text.charAt(at) == ':')) {
                at++;
                while (at < length && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
                if (at < length && text.charAt(at) == '"') {
                    at++;
                }
            } else if (at == spaces || spaces != afterName) {
                continue;   // no separator: the word is part of a sentence or a path
            }
            int end = at;
            while (end < length && "\",;&} \t".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            if (end == at || text.startsWith(REDACTED, at)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(length);
            }
            out.append(text, copied, at).append(REDACTED);
            copied = end;
            from = end;
        }
        return out == null ? text : out.append(text, copied, length).toString();
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
    }

    /**
     * An exception's message made safe, the same way whatever its package: the text rules, and any quoted text or
     * JSON object in it masked too, since a parser's or a handler's message may quote the data it read (the JDK's
     * own messages describe the transport and rarely quote anything).
     */
    public static String exceptionMessage(Throwable exception, int maxLength) {
        String message = exception.getMessage();
        if (message == null) {
            return "";
        }
        Matcher quoted = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (quoted.find()) {
            quoted.appendReplacement(out, QUOTED_NAME.matcher(quoted.group()).matches()
                    ? Matcher.quoteReplacement(quoted.group()) : REDACTED);
        }
        quoted.appendTail(out);
        return text(out.toString(), maxLength);
    }

    /** The text, cut to at most {@code maxLength} characters with an ellipsis when cut. */
    public static String truncate(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        return text.substring(0, Math.max(0, maxLength - 1)) + "\u2026";
    }
}
