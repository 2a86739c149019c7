package dev.resilienthttp.core.internal;

/**
 * How one origin uses one generation's connection pool, as far as the client can see it: the JDK exposes no pool,
 * but every exchange starts and ends here, and the JDK's rules are known (research/jdk-connection-facts.md 2.2).
 * An HTTP/1.1 connection goes back to the pool when its exchange ends, unless the response said
 * {@code Connection: close}, and the JDK reuses the one returned <em>first</em> (FIFO); an HTTP/2 origin shares one
 * connection. So when a request starts, this model knows whether it will likely get a new connection or a pooled
 * one, and how long that one sat idle: the fact that tells a stale connection from a busy one.
 *
 * <p>The JDK hands a pooled connection to whichever request reaches it first, on its own threads, not in the order the
 * requests started here. So while a request that claimed a connection idle long enough to be stale has not connected
 * ({@link #agedInFlight}: no response headers yet, and not ended), any other request to the origin may get that
 * connection instead of the one this model gave it, or instead of a new one: after a pause, 200 requests claimed 199
 * stale connections and one new connection here, and the JDK gave a stale one to a request that the model expected on
 * a new one.
 *
 * <p>Guarded by {@link Generations}' lock. A connection the JDK closed while idle (the server sent FIN) is still
 * counted here; its request then gets a new connection that the model thinks pooled. That errs towards calling a
 * reset stale only when the pooled connection would have been idle long enough to be dropped. Wherever the model
 * cannot tell, it errs that way, never towards forgetting a connection the JDK keeps: {@link ConnectionAfter#of}
 * says why.
 */
final class OriginUse {
    /** Past this many idle connections the oldest is forgotten: no client of ours holds more to one origin. */
    private static final int MAX_TRACKED = 4096;

    /** When a request started or ended here last, on the generations' ticker. */
    long lastUse;
    /** Requests to the origin in flight on this generation. */
    int inFlight;
    /**
     * Requests in flight that claimed an idle HTTP/1.1 connection at least as old as a stale one and have not
     * connected yet (no response headers): until they do, any request to the origin may be given such a connection.
     */
    int agedInFlight;
    /**
     * As {@link #agedInFlight}, for the shared HTTP/2 connection: the request that came after it sat idle that long,
     * until it or any other stream gets headers over it (the connection answered: {@link #proofsOfLife}).
     */
    int agedSharedInFlight;
    /** The origin's last response came over HTTP/2: its requests share one connection. */
    boolean multiplexed;
    /**
     * HTTP/2 responses whose headers came while a request on the shared connection may have been given it stale:
     * they came over the one connection, so a reset of that request after them is not the path's forgetting it.
     * Counted only while some request may be waiting for one (a hook runs only then).
     */
    int proofsOfLife;
    /** When each idle HTTP/1.1 connection went back to the pool, oldest first: a ring. */
    private long[] idleSince = new long[4];
    private int head;
    private int idle;

    OriginUse(long now) {
        this.lastUse = now;
    }

    /**
     * A request starts at {@code now}: how long the connection the JDK will give it sat idle, or {@code -1} when it
     * will open a new one. Takes that connection off the idle list.
     */
    long claim(long now) {
        if (multiplexed) {
            return inFlight > 0 ? 0 : now - lastUse;
        }
        if (idle == 0) {
            return -1;
        }
        long since = idleSince[head];
        head = (head + 1) % idleSince.length;
        idle--;
        return Math.max(0, now - since);
    }

    /** A request's exchange ended at {@code now}, leaving its connection as {@code after} says. */
    void ended(long now, ConnectionAfter after) {
        if (after == ConnectionAfter.SHARED) {
            multiplexed = true;
        } else if (after == ConnectionAfter.POOLED) {
            multiplexed = false;
            returned(now);
        }
    }

    private void returned(long now) {
        if (idle == idleSince.length) {
            if (idle == MAX_TRACKED) {
                head = (head + 1) % idleSince.length;   // forget the oldest
                idle--;
            } else {
                long[] grown = new long[idleSince.length * 2];
                for (int i = 0; i < idle; i++) {
                    grown[i] = idleSince[(head + i) % idleSince.length];
                }
                idleSince = grown;
                head = 0;
            }
        }
        idleSince[(head + idle) % idleSince.length] = now;
        idle++;
    }

    /** Idle HTTP/1.1 connections the model counts in the pool; for tests. */
    int idleConnections() {
        return idle;
    }
}
