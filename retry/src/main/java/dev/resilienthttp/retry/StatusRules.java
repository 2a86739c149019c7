package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;

import java.net.http.HttpResponse.ResponseInfo;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The status table: the one place where a status becomes a {@link FailureKind}, and so, by
 * {@link FailureKind#isTransient()}, retried or not, for the retry decision and the Kafka routing alike.
 * <ul>
 *   <li>2xx and 3xx: success;</li>
 *   <li>429, and 503 or 403 with {@code Retry-After}: {@link FailureKind#THROTTLED} (transient);</li>
 *   <li>500, 502, 503, 504 and 408: {@link FailureKind#SERVER_ERROR} (transient);</li>
 *   <li>any other 5xx: {@link FailureKind#PERMANENT_SERVER_ERROR} (it answers the same way every time);</li>
 *   <li>403: {@link FailureKind#FORBIDDEN} (permanent, retried {@code forbiddenRetries} times);</li>
 *   <li>any other 4xx: {@link FailureKind#CLIENT_ERROR} (permanent).</li>
 * </ul>
 * A policy's own {@code statusKind(status, kind)} goes first. The README's table is checked against this one.
 */
final class StatusRules {
    /** The statuses that say "this time": RFC 9110 invites a retry after 408 and 503; a 500, 502 or 504 may pass. */
    private static final Set<Integer> TRANSIENT_SERVER_ERRORS = Set.of(500, 502, 503, 504, 408);

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
        if ((status == 503 || status == 403) && response.headers().firstValue("Retry-After").isPresent()) {
            return Optional.of(FailureKind.THROTTLED);
        }
        return Optional.of(byStatus(status));
    }

    /** The kind of a failed status (400 and up) that carries no {@code Retry-After} and no override. */
    static FailureKind byStatus(int status) {
        if (status == 429) {
            return FailureKind.THROTTLED;
        }
        if (status == 403) {
            return FailureKind.FORBIDDEN;
        }
        if (TRANSIENT_SERVER_ERRORS.contains(status)) {
            return FailureKind.SERVER_ERROR;
        }
        return status >= 500 ? FailureKind.PERMANENT_SERVER_ERROR : FailureKind.CLIENT_ERROR;
    }
}
