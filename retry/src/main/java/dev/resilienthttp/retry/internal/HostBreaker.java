package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.retry.CircuitState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.util.concurrent.TimeUnit;

/**
 * One host's resilience4j circuit breaker, whose state changes are told without resilience4j's event stream: once
 * that stream has a consumer, the breaker builds an event with a {@code ZonedDateTime} for every success, some
 * 200 bytes a call. Instead the state is looked at after each operation that can change it, and every change seen
 * is told once, in order: the states told always follow on from each other (each {@code from} is the previous
 * {@code to}), and the last told is the breaker's state; two changes made by other threads between two looks are told
 * as one.
 */
final class HostBreaker {
    /** What {@link #tryAcquire} returns when the breaker refuses. */
    static final Object REFUSED = new Object();

    /** Hears the breaker's state changes, on the thread whose operation revealed them. */
    @FunctionalInterface
    interface Transitions {
        void changed(String host, CircuitState from, CircuitState to);
    }

    private final String host;
    private final CircuitBreaker breaker;
    private final Transitions transitions;
    /**
     * The state last told; {@code null} once the breaker is retired, after which nothing more is told. Changed under
     * this breaker's lock.
     */
    private volatile CircuitState told = CircuitState.CLOSED;

    HostBreaker(String host, CircuitBreakerConfig config, Transitions transitions) {
        this.host = host;
        this.breaker = CircuitBreaker.of(host, config);
        this.transitions = transitions;
    }

    /**
     * Takes a permission for one attempt: {@link #REFUSED} when the breaker is open (or its half-open probes are
     * out), else what to give {@link #release} if the attempt is not made: the metrics of the breaker's state that
     * gave the permission, which resilience4j makes anew for each closed and each half-open period.
     */
    Object tryAcquire() {
        boolean permitted = breaker.tryAcquirePermission();
        CircuitBreaker.Metrics period = breaker.getMetrics();
        observe();
        return permitted ? period : REFUSED;
    }

    /**
     * Gives back a permission taken for an attempt that will not be made. Only a half-open breaker counts the calls
     * it lets through, and resilience4j's takes back any permission given back to it, whenever it was taken: one
     * taken while the breaker was closed, or in an earlier half-open period, is not given back, or each call admitted
     * before the breaker opened and cancelled since would let one more probe through to a host that is recovering.
     */
    void release(Object permission) {
        if (permission == breaker.getMetrics() && breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            breaker.releasePermission();
        }
    }

    void succeeded(long tookNanos) {
        breaker.onSuccess(tookNanos, TimeUnit.NANOSECONDS);
        observe();
    }

    void failed(long tookNanos, FailureKind kind) {
        breaker.onError(tookNanos, TimeUnit.NANOSECONDS, new HostFailure(kind));
        observe();
    }

    CircuitState state() {
        switch (breaker.getState()) {
            case OPEN:
            case FORCED_OPEN:
                return CircuitState.OPEN;
            case HALF_OPEN:
                return CircuitState.HALF_OPEN;
            default:
                return CircuitState.CLOSED;
        }
    }

    /**
     * Forgets the breaker: its host went unused, and the next call to it gets a new, closed one. A breaker told as
     * open or half-open is told closed now, or a gauge of open circuits would count it for ever (resilience4j moves
     * an open breaker on only when asked for a permission). Nothing is told of it after this, whatever calls still
     * in flight report to it.
     *
     * @param tell whether to tell its closing: not when a fresh breaker of the same host already tells that host's state
     */
    synchronized void retire(boolean tell) {
        CircuitState before = told;
        told = null;
        if (tell && before != null && before != CircuitState.CLOSED) {
            transitions.changed(host, before, CircuitState.CLOSED);
        }
    }

    /** Whether the breaker is closed and its window holds no failure: forgetting it loses nothing. */
    boolean clean() {
        return breaker.getState() == CircuitBreaker.State.CLOSED && breaker.getMetrics().getNumberOfFailedCalls() == 0;
    }

    /**
     * Tells a change of state, if there is one to tell: under this breaker's lock, so that the state told is the one
     * read then, and changes are heard in the order they are told. Calls that see no change take no lock.
     */
    private void observe() {
        CircuitState seen = told;
        if (seen == null || seen == state()) {
            return;
        }
        synchronized (this) {
            CircuitState before = told;
            CircuitState now = state();
            if (before != null && before != now) {
                told = now;
                transitions.changed(host, before, now);
            }
        }
    }

    /** The breaker wants a throwable for each failure; this one names the kind and costs no stack trace. */
    private static final class HostFailure extends Exception {
        private static final long serialVersionUID = 1L;

        HostFailure(FailureKind kind) {
            super(kind.name(), null, false, false);
        }
    }
}
