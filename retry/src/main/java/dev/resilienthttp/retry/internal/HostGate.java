package dev.resilienthttp.retry.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The host-wide {@code Retry-After}: when a host says "come back in 30 s" to one request, every request to it
 * waits, not only the one that was told. Other clients' libraries keep hammering a throttled host with the
 * requests that were not told; this one does not. A hold that has passed is forgotten when its host is next
 * called, or by {@link #sweep} (a host held once and never called again, or held only because another instance was).
 * Time is passed in (nanoseconds of a monotonic source). Thread-safe.
 */
public final class HostGate {
    private final Map<String, Long> closedUntil = new HashMap<>();

    /** Holds every request to {@code host} until {@code until}; a later hold wins, an earlier one is ignored. */
    public synchronized void holdUntil(String host, long until) {
        closedUntil.merge(host, until, Math::max);
    }

    /** How long a request to {@code host} starting at {@code now} must wait, in nanoseconds (0: none). */
    public synchronized long waitNanos(String host, long now) {
        Long until = closedUntil.get(host);
        if (until == null) {
            return 0;
        }
        if (until - now <= 0) {
            closedUntil.remove(host);
            return 0;
        }
        return until - now;
    }

    /** Forgets every hold that has passed at {@code now}. */
    public synchronized void sweep(long now) {
        closedUntil.values().removeIf(until -> until - now <= 0);
    }

    /** How many hosts have a hold, passed or not. */
    synchronized int size() {
        return closedUntil.size();
    }

    /** The hosts held at {@code now}, each with the nanoseconds left. */
    public synchronized java.util.Map<String, Long> held(long now) {
        java.util.Map<String, Long> held = new java.util.HashMap<>();
        closedUntil.forEach((host, until) -> {
            if (until - now > 0) {
                held.put(host, until - now);
            }
        });
        return held;
    }
}
