package dev.resilienthttp.retry;

import java.time.Instant;

/**
 * Where a {@link RetryPolicy} tells the other instances of its service what it learned by itself, so that they
 * need not learn it again at the API operators' expense: implemented by a fleet module such as
 * {@code resilient-http-fleet}, attached with {@link RetryPolicy#link}.
 *
 * <p>Only this policy's own findings and its person's actions are told: a latch or hold applied through
 * {@link FleetLink} is never told back (no echo between instances). Methods are called on the thread that caused the
 * event, often a call's own thread: they must return at once and never wait on the network (queue the signal and
 * send it from a thread of your own). An exception is logged and ignored. Hosts are named {@code host:port}.
 */
public interface FleetChannel {

    /**
     * This policy's 403 latch closed on {@code host}, for {@code reason}. Called while the host's latch is held, and
     * only if it is still latched, so that a person's {@link #unblocked} cannot come before it: never call back into
     * the policy from another thread and wait for it here.
     */
    void blocked(String host, String reason);

    /** A {@code Retry-After} this policy received holds {@code host} until {@code until} (wall clock, capped). */
    void held(String host, Instant until);

    /**
     * A person called {@link RetryPolicy#unblock} (in code or through JMX) for {@code host}, whether or not this
     * policy had it latched: the API operators have been talked to, and the whole service may resume.
     */
    void unblocked(String host);
}
