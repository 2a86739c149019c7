package dev.resilienthttp.kafka;

/** Where a failed event goes. */
public enum Route {
    /** To the error topic, to be processed again once its not-before time has passed. */
    ERROR_TOPIC,
    /** To the dead-letter topic, for a person to look at and {@linkplain Redrive redrive}. */
    DEAD_LETTER_TOPIC,
    /** Nowhere: the processor stops consuming until the block is lifted, and commits nothing past the event. */
    PAUSE,
    /**
     * Nowhere yet: a protection of the client refused the call before any attempt (an open circuit, a spent retry
     * budget, a {@code Retry-After} hold past the deadline). The processor stops fetching, keeps the event, and runs
     * it again when calls get through, for at most {@code maxHold}; after that it goes to the error topic.
     */
    HOLD
}
