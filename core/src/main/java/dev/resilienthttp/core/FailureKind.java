package dev.resilienthttp.core;

/**
 * Why an attempt or a call failed: the one vocabulary shared by core, the retry module, the Kafka adapter
 * and the failure report. Core classifies transport failures; the retry module classifies statuses and
 * its local protections; core's report carries them all.
 */
public enum FailureKind {
    /** Reset or EOF before any response byte on a connection that may have been pooled: the path forgot it. */
    STALE_CONNECTION(true),
    /** Reset on a connection that cannot have sat idle long enough to be dropped (a fresh one), or mid-response. */
    CONNECTION_RESET(true),
    /** Connection refused, host unreachable or unknown: the request was not sent. */
    CONNECT_FAILURE(true),
    /** The connect timeout elapsed: the request was not sent. */
    CONNECT_TIMEOUT(true),
    /** The per-attempt request timeout elapsed before the response arrived. */
    REQUEST_TIMEOUT(true),
    /**
     * HTTP/2 peer refused the stream (REFUSED_STREAM, or GOAWAY below it), or its SETTINGS_MAX_CONCURRENT_STREAMS
     * did: the connection had as many streams open as it allows, so the JDK opened none ("too many concurrent
     * streams"). Not processed.
     */
    HTTP2_STREAM_REFUSED(true),
    /** HTTP/2 peer reset the stream (RST_STREAM with another code). */
    HTTP2_RESET(true),
    /**
     * Any other I/O failure (TLS, protocol, an {@code IOException} a body subscriber failed with, or a re-send of a
     * request body that is not replayable, stopped before it was complete); not known to be transient. An unchecked exception or error from the caller's body handler or request body is no failure
     * kind: it ends the call as itself, unretried.
     */
    IO_ERROR(false),
    /** 429, or 503/403 with {@code Retry-After}: the server asks us to come back later. */
    THROTTLED(true, true),
    /** 500, 502, 503, 504 or 408: the server failed this time. */
    SERVER_ERROR(true, true),
    /**
     * Any other 5xx (501 Not Implemented, 505 HTTP Version Not Supported, 508 Loop Detected, ...): the server will
     * answer the same way every time.
     */
    PERMANENT_SERVER_ERROR(false, true),
    /** 403 without {@code Retry-After}: the resource is gone or access is refused. */
    FORBIDDEN(false, true),
    /** The 403 latch is set for the host: calls fail at once until a human resets it. */
    BLOCKED(false),
    /** Any other 4xx: the request itself is wrong. */
    CLIENT_ERROR(false, true),
    /** The host's circuit breaker is open: no more attempts now. */
    CIRCUIT_OPEN(true),
    /** The client's retry budget is spent: no more retries now. */
    RETRY_BUDGET_EXHAUSTED(true),
    /** The call's total deadline would pass before the next attempt could finish. */
    DEADLINE_EXCEEDED(true);

    private final boolean transientFailure;
    private final boolean statusKind;

    FailureKind(boolean transientFailure) {
        this(transientFailure, false);
    }

    FailureKind(boolean transientFailure, boolean statusKind) {
        this.transientFailure = transientFailure;
        this.statusKind = statusKind;
    }

    /**
     * Whether a response's status can be judged this kind ({@code THROTTLED}, {@code SERVER_ERROR},
     * {@code PERMANENT_SERVER_ERROR}, {@code FORBIDDEN}, {@code CLIENT_ERROR}): the others are transport failures
     * or local protections, which no status is.
     */
    public boolean isStatusKind() {
        return statusKind;
    }

    /**
     * Whether the same request may succeed later without anyone changing anything: the one answer to "is this
     * retried?". The retry decision retries a transient kind (within its limits) and never a permanent one, except
     * a 403's one or two; the Kafka adapter sends a transient failure to the error topic for another pass and a
     * permanent one to the dead-letter topic, for a person.
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
