package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;

import java.net.http.HttpResponse.ResponseInfo;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a status: 2xx and 3xx are successes; 429, and 503 or 403 with {@code Retry-After}, are
 * {@link FailureKind#THROTTLED}; 500, 502, 503, 504 and 408 are {@link FailureKind#SERVER_ERROR}; 403 is
 * {@link FailureKind#FORBIDDEN}; any other 4xx is {@link FailureKind#CLIENT_ERROR}; any other 5xx is a server
 * error. A policy's own mapping goes first.
 */
final class StatusRules {
    /** Indexed by status: a lookup per response that boxes nothing (200 is past {@code Integer}'s cache). */
    private final FailureKind[] overrides = new FailureKind[600];

    /** @param overrides statuses (100 to 599, as the builder checks) judged as another kind */
    StatusRules(Map<Integer, FailureKind> overrides) {
        overrides.forEach((status, kind) -> this.overrides[status] = kind);
    }

    /** Judges the status and headers, as they arrive, before the body is read. */
    Optional<FailureKind> classify(ResponseInfo response) {
        int status = response.statusCode();
        FailureKind override = status >= 0 && status < overrides.length ? overrides[status] : null;
        if (override != null) {
            return Optional.of(override);
        }
        if (status < 400) {
            return Optional.empty();
        }
        boolean asksToWait = response.headers().firstValue("Retry-After").isPresent();
        if (status == 429 || asksToWait && (status == 503 || status == 403)) {
            return Optional.of(FailureKind.THROTTLED);
        }
        if (status == 403) {
            return Optional.of(FailureKind.FORBIDDEN);
        }
        if (status == 408 || status >= 500) {
            return Optional.of(FailureKind.SERVER_ERROR);
        }
        return Optional.of(FailureKind.CLIENT_ERROR);
    }
}
