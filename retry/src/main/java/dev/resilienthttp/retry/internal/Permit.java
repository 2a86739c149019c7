package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;

import java.time.Duration;

/**
 * Admission to go, after {@link #delay()}: what was granted one attempt to a host: the circuit breaker's permission (when there is a breaker) and,
 * for a host the 403 latch holds, the probe slot. Settled exactly once: {@link #record} with the attempt's outcome,
 * or {@link #release} when the attempt ends without one (interrupt, cancel, deadline before sending, closed
 * client, an exception from a listener or a body handler). A permit that is neither would leave a half-open
 * breaker short of a probe, or the latch without its probe, for good.
 *
 * <p>The rate limiter's reservation is not part of it: resilience4j cannot give one back, and a reservation
 * spent on an attempt that was not made lapses with its period, as a sent one does.
 *
 * <p>Used by one attempt at a time: its steps are ordered by the call's own hand-offs.
 */
public final class Permit implements Admission {
    private final Protections protections;
    private final String host;
    /** The host's breaker and limiter that admitted it, kept for it until it is settled; {@code null} for none. */
    private final HostStates.Host hostState;
    private final HostBreaker breaker;
    /** What the breaker's {@code tryAcquire} gave, to give back with {@code release}. */
    private final Object breakerPermission;
    /** What the 403 latch said of the attempt: a probe's is the latch's token for it. */
    private final ForbiddenLatch.Pass pass;
    private final Duration delay;
    private boolean settled;

    Permit(Protections protections, String host, HostStates.Host hostState, Object breakerPermission,
           ForbiddenLatch.Pass pass, Duration delay) {
        this.protections = protections;
        this.host = host;
        this.hostState = hostState;
        this.breaker = hostState == null ? null : hostState.breaker;
        this.breakerPermission = breakerPermission;
        this.pass = pass;
        this.delay = delay;
    }

    /** How long to wait before the attempt: the rate limiter's reservation, zero without one. */
    public Duration delay() {
        return delay;
    }

    String host() {
        return host;
    }

    HostStates.Host hostState() {
        return hostState;
    }

    HostBreaker breaker() {
        return breaker;
    }

    Object breakerPermission() {
        return breakerPermission;
    }

    ForbiddenLatch.Pass pass() {
        return pass;
    }

    /**
     * Tells every protection how the attempt ended; a no-op once settled.
     *
     * @param kind       the failure kind, or {@code null} for a success
     * @param status     the response status, or 0
     * @param retryAfter what the server asked to wait, or {@code null}
     * @param tookNanos  how long the attempt took
     */
    public void record(FailureKind kind, int status, Duration retryAfter, long tookNanos) {
        if (!settled) {
            settled = true;
            protections.recorded(this, kind, status, retryAfter, tookNanos);
        }
    }

    /** Gives back what the attempt held without telling any protection how it went; a no-op once settled. */
    public void release() {
        if (!settled) {
            settled = true;
            protections.released(this);
        }
    }
}
