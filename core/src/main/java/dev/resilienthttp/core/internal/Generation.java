package dev.resilienthttp.core.internal;

import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One JDK {@link HttpClient} and so one connection pool, with the times that decide when it is replaced.
 * {@link Generations} owns the mutable counters and reads or writes them only under its lock.
 */
public final class Generation {
    private final int number;
    private final HttpClient client;
    private final long createdAt;
    private final Set<String> originsExchangedWith = ConcurrentHashMap.newKeySet();
    /**
     * When each origin last started or ended a request on this generation, in a one-slot array so that recording a
     * use allocates nothing; guarded by {@link Generations}.
     */
    private final Map<String, long[]> lastUseByOrigin = new HashMap<>();

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

    /**
     * Records that an exchange with {@code origin} (an {@link Origin#key}) completed, so its connection may now
     * sit in the pool.
     */
    public void exchangedWith(String origin) {
        originsExchangedWith.add(origin);
    }

    /** Whether a request to {@code origin} may have been given a pooled connection by this generation. */
    public boolean mayHavePooledConnectionTo(String origin) {
        return originsExchangedWith.contains(origin);
    }

    /** Whether a request to this origin ever started here. */
    boolean usedBy(String origin) {
        return lastUseByOrigin.containsKey(origin);
    }

    /** When a request to this origin last started or ended here; only for an origin that {@link #usedBy} it. */
    long lastUse(String origin) {
        return lastUseByOrigin.get(origin)[0];
    }

    void used(String origin, long now) {
        long[] last = lastUseByOrigin.get(origin);
        if (last == null) {
            lastUseByOrigin.put(origin, new long[] {now});
        } else {
            last[0] = Math.max(last[0], now);
        }
    }

    @Override
    public String toString() {
        return "generation " + number;
    }
}
