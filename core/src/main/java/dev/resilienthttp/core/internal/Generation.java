package dev.resilienthttp.core.internal;

import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;

/**
 * One JDK {@link HttpClient} and so one connection pool, with the times that decide when it is replaced.
 * {@link Generations} owns the mutable counters and reads or writes them only under its lock.
 */
public final class Generation {
    private final int number;
    private final HttpClient client;
    private final long createdAt;
    /** Each origin's use of this generation's pool; guarded by {@link Generations}. */
    private final Map<String, OriginUse> origins = new HashMap<>();

    int inFlight;
    boolean retired;
    boolean closed;

    Generation(int number, HttpClient client, long createdAt) {
        this.number = number;
        this.client = client;
        this.createdAt = createdAt;
    }

    /** 1 for the client's first generation, then counting up. */
    public int number() {
        return number;
    }

    /** The JDK client of this generation. */
    public HttpClient client() {
        return client;
    }

    long createdAt() {
        return createdAt;
    }

    /** Whether a request to this origin ever started here. */
    boolean usedBy(String origin) {
        return origins.containsKey(origin);
    }

    /** When a request to this origin last started or ended here; only for an origin that {@link #usedBy} it. */
    long lastUse(String origin) {
        return origins.get(origin).lastUse;
    }

    /**
     * A request to {@code origin} starts at {@code now}: it claims a connection ({@link OriginUse#claim}), which may be
     * stale when it sat idle {@code staleAfterIdleNanos} or more, or when a request that claimed such a one has not
     * connected yet (the JDK may give this request that connection: see {@link OriginUse}).
     */
    Lease started(String origin, long now, long staleAfterIdleNanos) {
        OriginUse use = origins.get(origin);
        if (use == null) {
            origins.put(origin, use = new OriginUse(now));
        }
        boolean shared = use.multiplexed;
        long idle = use.claim(now);
        boolean aged = idle >= staleAfterIdleNanos;
        boolean mayBeStale = aged || use.agedInFlight > 0 || use.agedSharedInFlight > 0;
        if (aged && shared) {
            use.agedSharedInFlight++;
        } else if (aged) {
            use.agedInFlight++;
        }
        use.inFlight++;
        use.lastUse = Math.max(use.lastUse, now);
        return new Lease(this, origin, idle, mayBeStale, aged, shared, use.proofsOfLife);
    }

    /**
     * The request of {@code lease} ended at {@code now}, leaving its connection as {@code after} says. Read
     * {@link #mayBeStale} first: what ends here changes it.
     */
    void ended(Lease lease, long now, ConnectionAfter after) {
        OriginUse use = origins.get(lease.origin());
        use.inFlight--;
        letGo(use, lease);
        use.lastUse = Math.max(use.lastUse, now);
        use.ended(now, after);
    }

    /**
     * The response headers of the request of {@code lease} arrived, over {@code version}: it no longer holds an aged
     * connection that others may be given; and over HTTP/2 they prove the origin's one connection alive, for every
     * request on it.
     */
    void connected(Lease lease, HttpClient.Version version) {
        OriginUse use = origins.get(lease.origin());
        letGo(use, lease);
        if (version == HttpClient.Version.HTTP_2) {
            use.agedSharedInFlight = 0;
            use.proofsOfLife++;
        }
    }

    /**
     * Whether the connection of the request of {@code lease} may still be stale: it may have been given one idle long
     * enough ({@link Lease#mayBeStale}), and, if it went on the shared HTTP/2 connection, no response has come over
     * that since it started. An HTTP/1.1 request's connection is its own: only its own headers would tell.
     */
    boolean mayBeStale(Lease lease) {
        OriginUse use = origins.get(lease.origin());
        return lease.mayBeStale() && !(lease.shared() && use.proofsOfLife != lease.proofsOfLifeAtStart());
    }

    private static void letGo(OriginUse use, Lease lease) {
        if (!lease.holdsAged) {
            return;
        }
        lease.holdsAged = false;
        if (lease.shared()) {
            // A proof of life over HTTP/2 may have counted it out already.
            use.agedSharedInFlight = Math.max(0, use.agedSharedInFlight - 1);
        } else {
            use.agedInFlight--;
        }
    }

    /** Idle HTTP/1.1 connections to {@code origin} the model counts; for tests. */
    int idleConnections(String origin) {
        OriginUse use = origins.get(origin);
        return use == null ? 0 : use.idleConnections();
    }

    @Override
    public String toString() {
        return "generation " + number;
    }
}
