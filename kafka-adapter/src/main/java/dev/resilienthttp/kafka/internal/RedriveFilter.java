package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.FailureHeaders;
import org.apache.kafka.common.header.Headers;

import java.util.Locale;
import java.util.Set;

/**
 * Which dead-letter records a redrive moves: those whose kind is one of {@code kinds} (all when empty) and whose
 * reason contains {@code reasonContains}, ignoring case (all when empty).
 */
public record RedriveFilter(Set<String> kinds, String reasonContains) {
    public RedriveFilter {
        kinds = Set.copyOf(kinds);
        reasonContains = reasonContains.toLowerCase(Locale.ROOT);
    }

    boolean matches(Headers headers) {
        if (!kinds.isEmpty() && !kinds.contains(String.valueOf(HeaderValues.text(headers, FailureHeaders.KIND)))) {
            return false;
        }
        if (reasonContains.isEmpty()) {
            return true;
        }
        String reason = HeaderValues.text(headers, FailureHeaders.EXCEPTION_MESSAGE);
        if (reason == null) {
            reason = HeaderValues.text(headers, FailureHeaders.FAIL_REASON);
        }
        return reason != null && reason.toLowerCase(Locale.ROOT).contains(reasonContains);
    }
}
