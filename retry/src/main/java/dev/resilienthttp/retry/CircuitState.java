package dev.resilienthttp.retry;

/** The state of a host's circuit breaker, as listeners and metrics see it. */
public enum CircuitState {
    /** Calls go through; failures are counted. */
    CLOSED,
    /** Calls fail at once with {@code CIRCUIT_OPEN}; no traffic reaches the host. */
    OPEN,
    /** A few probe calls go through; their outcome closes or reopens the circuit. */
    HALF_OPEN
}
