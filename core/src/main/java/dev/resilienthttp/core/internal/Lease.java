package dev.resilienthttp.core.internal;

/**
 * What {@link Generations#acquire} gives a request: the generation to send it on, and what the request's
 * connection will likely be.
 *
 * @param generation    the generation, counted in flight until {@link Generations#release}
 * @param idleNanos     how long the pooled connection the JDK will likely reuse sat idle, or {@code -1} when it will
 *                      open a new one ({@link OriginUse#claim})
 */
public record Lease(Generation generation, long idleNanos) {

    /** Whether the connection may have sat idle at least {@code nanos}: long enough for a path to have dropped it. */
    public boolean idleAtLeast(long nanos) {
        return idleNanos >= nanos;
    }
}
