package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;

import java.time.Duration;

/**
 * Hears what a {@link RetryPolicy}'s protections do to a host, for alerting and metrics. Every method does nothing
 * by default. Methods are called on the thread that caused the event (for {@code sendAsync}, as
 * {@code HttpEventListener} says: never on a thread that serves every call, such as the retry timer), should return
 * quickly and should not throw (an exception is logged and ignored). Hosts are named {@code host:port}.
 *
 * <p>Per call, the protections act in this order before each attempt: gate, latch, breaker, rate limiter; the
 * retry budget acts after a failed attempt, when the policy would retry.
 *
 * <p>{@link #hostHeld}, {@link #hostBlocked} and {@link #hostUnblocked} report what this policy saw itself or a person
 * did to it. What another instance of the service told it through a {@link FleetLink} comes as
 * {@link #hostHeldRemotely}, {@link #hostBlockedRemotely} and {@link #hostUnblockedRemotely} instead, on the thread
 * that reads the other instances' signals; a host blocked remotely and then unblocked here by a person is heard as
 * {@link #hostBlockedRemotely} then {@link #hostUnblocked}.
 */
public interface ProtectionListener {

    /** The listener that ignores everything. */
    ProtectionListener NONE = new ProtectionListener() {
    };

    /** A {@code Retry-After} now holds every request to {@code host} for {@code wait}. */
    default void hostHeld(String host, Duration wait) {
    }

    /** The 403 latch closed on {@code host}: calls fail with {@code BLOCKED} until {@link RetryPolicy#unblock}. */
    default void hostBlocked(String host, String reason) {
    }

    /** The 403 latch was lifted for {@code host}, by a person or a successful probe. */
    default void hostUnblocked(String host) {
    }

    /**
     * Another instance of the service told this policy to hold {@code host}: every request to it waits {@code wait}
     * (capped as a local {@code Retry-After} is).
     */
    default void hostHeldRemotely(String host, Duration wait) {
    }

    /**
     * Another instance of the service latched {@code host}: calls fail with {@code BLOCKED} here too until an
     * {@link RetryPolicy#unblock} here or on any instance. {@code reason} names the instance, when, and why.
     */
    default void hostBlockedRemotely(String host, String reason) {
    }

    /** A person unblocked {@code host} on another instance of the service, and the latch here was lifted too. */
    default void hostUnblockedRemotely(String host) {
    }

    /** A call was refused before an attempt, with {@code BLOCKED} or {@code CIRCUIT_OPEN}. */
    default void callRefused(String host, FailureKind kind) {
    }

    /**
     * {@code host}'s circuit breaker changed state. A host that goes unused long enough to be forgotten (see
     * {@link RetryPolicyBuilder#build}) with its breaker open or half-open is told {@code CLOSED} as it goes: its next
     * call starts with a new, closed breaker.
     */
    default void circuitStateChanged(String host, CircuitState from, CircuitState to) {
    }

    /** The retry budget refused a retry to {@code host}: the call ends with {@code RETRY_BUDGET_EXHAUSTED}. */
    default void retryRefusedByBudget(String host) {
    }

    /**
     * The adaptive rate limit for {@code host} is now {@code permitsPerSecond}; a host forgotten below its full rate
     * is told the full rate as it goes.
     */
    default void rateLimitChanged(String host, int permitsPerSecond) {
    }
}
