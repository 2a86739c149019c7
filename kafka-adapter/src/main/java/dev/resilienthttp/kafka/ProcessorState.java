package dev.resilienthttp.kafka;

/** What a {@link ResilientEventProcessor} is doing, for a health check. */
public enum ProcessorState {
    /** Built, not started. */
    NEW,
    /** Consuming and handling. */
    RUNNING,
    /**
     * A protection of the client refuses calls (an open circuit, a spent retry budget, a {@code Retry-After} hold):
     * fetching is stopped and the refused records wait in the processor. It ends on its own.
     */
    HOLDING,
    /** A host answered 403 to nearly every call: consumption is paused until a person lifts the block. */
    BLOCKED,
    /** Stopped on its own ({@link ResilientEventProcessor#failure()} says why): needs a person. */
    FAILED,
    /** Closed: its thread has ended (after {@code close()}, or on its own without a failure), its clients closed. */
    CLOSED
}
