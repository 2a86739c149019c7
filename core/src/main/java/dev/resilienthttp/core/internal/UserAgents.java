package dev.resilienthttp.core.internal;

import java.util.List;
import java.util.Locale;

/**
 * Checks the {@code User-Agent} a client is built with. API operators rate-limit and then block generic library
 * agents (the Wikimedia operators block {@code Java-http-client/17}) and ask for a name and a contact, so there is
 * no default and a library's own agent is refused.
 */
public final class UserAgents {
    private static final List<String> LIBRARY_DEFAULTS = List.of(
            "java-http-client", "java/", "jakarta commons-httpclient", "apache-httpclient", "okhttp",
            "python-requests", "python-urllib", "go-http-client", "curl/", "wget/", "axios/", "node-fetch");

    private static final String EXAMPLE = "\"article-enricher/2.0 (ops@example.org)\"";

    private UserAgents() {
    }

    /**
     * Returns {@code userAgent} if it is acceptable.
     *
     * @throws IllegalStateException naming the problem and what to write instead
     */
    public static String check(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            throw new IllegalStateException("userAgent is required: API operators rate-limit and block clients "
                    + "that do not say who they are. Name your service, its version and a contact, e.g. " + EXAMPLE);
        }
        String lower = userAgent.strip().toLowerCase(Locale.ROOT);
        for (String library : LIBRARY_DEFAULTS) {
            if (lower.startsWith(library)) {
                throw new IllegalStateException("userAgent \"" + userAgent + "\" is a library default: operators "
                        + "rate-limit and then block those (Wikimedia blocks Java-http-client/17). Name your "
                        + "service, its version and a contact, e.g. " + EXAMPLE);
            }
        }
        for (int i = 0; i < userAgent.length(); i++) {
            char c = userAgent.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                throw new IllegalStateException("userAgent has a character that is not allowed in an HTTP header "
                        + "(code " + (int) c + " at index " + i + ")");
            }
        }
        return userAgent.strip();
    }

    /** Whether the agent names a way to reach its owner (an e-mail address or a URL), as operators ask. */
    public static boolean hasContact(String userAgent) {
        return userAgent.contains("@") || userAgent.contains("http://") || userAgent.contains("https://")
                || userAgent.contains("+http");
    }
}
