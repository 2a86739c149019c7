package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** HTTP failures built from a report, for handlers that fail without a network (the processor only reads the report). */
final class Failures {
    private Failures() {
    }

    /** A call that ended after one attempt answered {@code status}. */
    static HttpFailureException status(FailureKind kind, int status, String uri) {
        FailureReport.Attempt attempt = new FailureReport.Attempt(1, kind, Outcome.PROCESSED, status, "", "",
                Duration.ZERO, Duration.ofMillis(3));
        return new HttpFailureException(new FailureReport("POST", uri, Instant.now(), Duration.ofMillis(3),
                List.of(attempt), kind, ""), null, null);
    }

    /** A call a local protection refused before any attempt ({@code BLOCKED}, {@code CIRCUIT_OPEN}, ...). */
    static HttpFailureException refused(FailureKind kind, String uri, String detail) {
        return new HttpFailureException(new FailureReport("POST", uri, Instant.now(), Duration.ZERO, List.of(), kind,
                detail), null, null);
    }
}
