package dev.resilienthttp.kafka.internal;

import java.time.Instant;

/** What the loop must do after one record: a record is done, waits, blocks everything, or must be routed. */
final class Step {
    enum Kind { DONE, NOT_DUE, PAUSE, ROUTE }

    private static final Step DONE = new Step(Kind.DONE, null, null, null);

    final Kind kind;
    /** For {@link Kind#NOT_DUE}: when the record is due. */
    final Instant notBefore;
    /** For {@link Kind#PAUSE}: why, for the log. */
    final String reason;
    /** For {@link Kind#ROUTE}: the copy to produce. */
    final RoutedCopy copy;

    private Step(Kind kind, Instant notBefore, String reason, RoutedCopy copy) {
        this.kind = kind;
        this.notBefore = notBefore;
        this.reason = reason;
        this.copy = copy;
    }

    static Step done() {
        return DONE;
    }

    static Step notDue(Instant notBefore) {
        return new Step(Kind.NOT_DUE, notBefore, null, null);
    }

    static Step pause(String reason) {
        return new Step(Kind.PAUSE, null, reason, null);
    }

    static Step route(RoutedCopy copy) {
        return new Step(Kind.ROUTE, null, null, copy);
    }
}
