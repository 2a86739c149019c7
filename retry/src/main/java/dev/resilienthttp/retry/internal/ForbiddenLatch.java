package dev.resilienthttp.retry.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 403 latch: when a host answers 403 to nearly every call, this client is blocked there, and retrying only
 * digs deeper. After {@code consecutive} 403s in a row, or when at least {@code ratio} of the last {@code window}
 * responses were 403, the host latches BLOCKED: calls fail at once until a person calls {@link #unblock}, or, if
 * a probe interval is set, until a probe gets something other than a 403. Unlike a circuit breaker it does not
 * half-open by itself: the API operators asked for a human.
 *
 * <p>Time is passed in (nanoseconds of a monotonic source). Thread-safe: each host's state is guarded by itself,
 * and a host that is not blocked and has no 403 in its window is answered without a lock.
 */
public final class ForbiddenLatch {

    /** Why a host latched, for the log line and the listener. */
    public record Latched(String host, String reason) {
    }

    /**
     * One host's history. The last {@code window} answers are a ring of flags; {@code blocked}, {@code full} and
     * {@code forbiddenInWindow} are volatile so that the common case, a host with no 403 in its window, is read
     * without the lock (see {@link #record}).
     */
    private static final class HostState {
        final boolean[] recent;
        int next;
        volatile boolean full;
        volatile int forbiddenInWindow;
        int consecutive;
        volatile boolean blocked;
        long blockedAt;
        boolean probing;

        HostState(int window) {
            recent = new boolean[window];
        }
    }

    private final int consecutive;
    private final double ratio;
    private final int window;
    private final long probeIntervalNanos;
    private final Map<String, HostState> hosts = new ConcurrentHashMap<>();

    /**
     * @param consecutive        403s in a row that latch
     * @param ratio              share of 403s in a full window that latches (0 to 1)
     * @param window             responses the ratio is taken over
     * @param probeIntervalNanos after this long a blocked host lets one call through as a probe; 0 for never
     */
    public ForbiddenLatch(int consecutive, double ratio, int window, long probeIntervalNanos) {
        this.consecutive = consecutive;
        this.ratio = ratio;
        this.window = window;
        this.probeIntervalNanos = probeIntervalNanos;
    }

    /**
     * Whether a call to {@code host} at {@code now} must be refused. When a probe interval is set and has passed,
     * lets exactly one call through and refuses the others until it answers.
     */
    public boolean refuses(String host, long now) {
        HostState state = hosts.get(host);
        if (state == null || !state.blocked) {
            return false;
        }
        synchronized (state) {
            if (!state.blocked) {
                return false;
            }
            if (probeIntervalNanos > 0 && !state.probing && now - state.blockedAt >= probeIntervalNanos) {
                state.probing = true;
                return false;
            }
            return true;
        }
    }

    /**
     * Records a response from {@code host}.
     *
     * @return the latching, if this response latched the host; {@code null} otherwise
     */
    public Latched record(String host, boolean forbidden, long now) {
        HostState state = hosts.get(host);
        if (state == null) {
            state = hosts.computeIfAbsent(host, h -> new HostState(window));
        }
        // A success into a full window holding no 403 changes nothing: the answer it pushes out was a success
        // too, and the streak is already 0. Such a record is ordered before any 403 recorded meanwhile.
        if (!forbidden && state.full && state.forbiddenInWindow == 0 && !state.blocked) {
            return null;
        }
        synchronized (state) {
            return recordLocked(state, host, forbidden, now);
        }
    }

    private Latched recordLocked(HostState state, String host, boolean forbidden, long now) {
        if (state.blocked) {
            // Only a probe gets here: its answer decides.
            state.probing = false;
            if (forbidden) {
                state.blockedAt = now;
                return null;
            }
            reset(state);
            return null;
        }
        int counted = state.forbiddenInWindow;
        if (state.full && state.recent[state.next]) {
            counted--;
        }
        state.recent[state.next] = forbidden;
        state.next = (state.next + 1) % window;
        state.forbiddenInWindow = counted + (forbidden ? 1 : 0);
        if (state.next == 0) {
            state.full = true;   // the ring has gone round once: from now on each answer pushes one out
        }
        state.consecutive = forbidden ? state.consecutive + 1 : 0;
        String reason = null;
        if (state.consecutive >= consecutive) {
            reason = state.consecutive + " consecutive 403s";
        } else if (state.full && state.forbiddenInWindow >= ratio * window) {
            reason = state.forbiddenInWindow + " of the last " + window + " responses were 403";
        }
        if (reason == null) {
            return null;
        }
        state.blocked = true;
        state.blockedAt = now;
        return new Latched(host, reason);
    }

    /** The hosts latched now, sorted. */
    public Set<String> blockedHosts() {
        Set<String> blocked = new TreeSet<>();
        hosts.forEach((host, state) -> {
            if (state.blocked) {
                blocked.add(host);
            }
        });
        return blocked;
    }

    /** Lifts the latch for {@code host} and forgets its history; returns whether it was blocked. */
    public boolean unblock(String host) {
        HostState state = hosts.get(host);
        if (state == null) {
            return false;
        }
        synchronized (state) {
            if (!state.blocked) {
                return false;
            }
            reset(state);
            return true;
        }
    }

    private static void reset(HostState state) {
        state.probing = false;
        state.consecutive = 0;
        state.forbiddenInWindow = 0;
        state.next = 0;
        state.full = false;
        Arrays.fill(state.recent, false);
        state.blocked = false;
    }
}
