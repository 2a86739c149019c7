package dev.resilienthttp.kafka.internal;

/** What the loop must do after a record's handler ended, or after it could not be decoded. */
final class Step {
    enum Kind {
        /** The record is done. */
        DONE,
        /** A blocked host: nothing is routed, everything waits for a person. */
        PAUSE,
        /** A protection refused the call before any attempt: keep the record and run it again later. */
        HOLD,
        /** Produce {@link #copy}; the record is done once it is acknowledged. */
        ROUTE,
        /** The processor must stop, this record not done ({@link #error} says why). */
        STOP,
        /** The handler was interrupted or cancelled while the processor closes: the record is not done. */
        NOT_DONE
    }

    private static final Step DONE = new Step(Kind.DONE, null, null, null);
    private static final Step NOT_DONE = new Step(Kind.NOT_DONE, null, null, null);

    final Kind kind;
    /** For {@link Kind#PAUSE} and {@link Kind#HOLD}: why, for the log. */
    final String reason;
    /** For {@link Kind#ROUTE}: the copy to produce. */
    final RoutedCopy copy;
    /** For {@link Kind#STOP}: what stops the processor. */
    final Throwable error;

    private Step(Kind kind, String reason, RoutedCopy copy, Throwable error) {
        this.kind = kind;
        this.reason = reason;
        this.copy = copy;
        this.error = error;
    }

    static Step done() {
        return DONE;
    }

    static Step notDone() {
        return NOT_DONE;
    }

    static Step pause(String reason) {
        return new Step(Kind.PAUSE, reason, null, null);
    }

    static Step hold(String reason) {
        return new Step(Kind.HOLD, reason, null, null);
    }

    static Step route(RoutedCopy copy) {
        return new Step(Kind.ROUTE, null, copy, null);
    }

    static Step stop(Throwable error) {
        return new Step(Kind.STOP, null, null, error);
    }
}
