package dev.resilienthttp.core.internal;

/**
 * What {@link Generations#acquire} gives a request: the generation to send it on, and what the request's
 * connection will likely be.
 *
 * @param generation the generation, counted in flight until {@link Generations#release}
 * @param idleNanos  how long the pooled connection the JDK will likely reuse sat idle, or {@code -1} when it will
 *                   open a new one ({@link OriginUse#claim})
 * @param mayBeStale whether the connection the JDK gives it may have sat idle long enough for a box on the path to
 *                   have dropped it: its own, or one another request in flight claimed ({@link OriginUse}). A reset on
 *                   it before any response byte is a stale connection
 * @param aged       whether the connection it claimed itself sat idle that long; counted until
 *                   {@link Generations#release}
 */
public record Lease(Generation generation, long idleNanos, boolean mayBeStale, boolean aged) {
}
