package dev.resilienthttp.core.internal;

/**
 * What {@link Generations#acquire} gives a request: the generation to send it on, and what the request's
 * connection will likely be.
 */
public final class Lease {
    private final Generation generation;
    private final String origin;
    private final long idleNanos;
    private final boolean mayBeStale;
    /** Whether the origin's requests shared one HTTP/2 connection when it started. */
    private final boolean shared;
    /** The origin's {@link OriginUse#proofsOfLife} when the request started. */
    private final int proofsOfLifeAtStart;
    /**
     * Whether it still counts in {@link OriginUse#agedInFlight}: from its claim of a connection idle long enough to be
     * stale until its response's headers arrive ({@link Generations#connected}) or it ends. Guarded by
     * {@link Generations}' lock.
     */
    boolean holdsAged;

    Lease(Generation generation, String origin, long idleNanos, boolean mayBeStale, boolean aged, boolean shared,
          int proofsOfLifeAtStart) {
        this.generation = generation;
        this.origin = origin;
        this.idleNanos = idleNanos;
        this.mayBeStale = mayBeStale;
        this.holdsAged = aged;
        this.shared = shared;
        this.proofsOfLifeAtStart = proofsOfLifeAtStart;
    }

    /** The generation, counted in flight until {@link Generations#release}. */
    public Generation generation() {
        return generation;
    }

    /** The {@link Origin#key} of its request. */
    public String origin() {
        return origin;
    }

    /**
     * How long the pooled connection the JDK will likely reuse sat idle, or {@code -1} when it will open a new one
     * ({@link OriginUse#claim}).
     */
    public long idleNanos() {
        return idleNanos;
    }

    /**
     * Whether, when it started, the connection the JDK gives it may have sat idle long enough for a box on the path to
     * have dropped it: its own, or one that another request, not yet connected, claimed ({@link OriginUse}). Whether
     * it still may when the request ends is {@link Generations#release}'s to say.
     */
    public boolean mayBeStale() {
        return mayBeStale;
    }

    boolean shared() {
        return shared;
    }

    int proofsOfLifeAtStart() {
        return proofsOfLifeAtStart;
    }
}
