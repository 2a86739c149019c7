package dev.resilienthttp.retry.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The 403 latch: when a host answers 403 to nearly every call, this client is blocked there, and retrying only
 * digs deeper. After {@code consecutive} 403s in a row, or when at least {@code ratio} of the last {@code window}
 * responses were 403, the host latches BLOCKED: calls fail at once until a person calls {@link #unblock}, or, if
 * a probe interval is set, until a probe gets something other than a 403. Unlike a circuit breaker it does not
 * half-open by itself: the API operators asked for a human.
 *
 * <p>Time is passed in (nanoseconds of a monotonic source). Thread-safe.
 */
public final class ForbiddenLatch {

    /** Why a host latched, for the log line and the listener. */
    public record Latched(String host, String reason) {
    }

    private static final class HostState {
        final Deque<Boolean> recent = new ArrayDeque<>();
        int forbiddenInWindow;
        int consecutive;
        boolean blocked;
        long blockedAt;
        boolean probing;
    }

    private final int consecutive;
    private final double ratio;
    private final int window;
    private final long probeIntervalNanos;
    private final Map<String, HostState> hosts = new HashMap<>();

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
    public synchronized boolean refuses(String host, long now) {
        HostState state = hosts.get(host);
        if (state == null || !state.blocked) {
            return false;
        }
        if (probeIntervalNanos > 0 && !state.probing && now - state.blockedAt >= probeIntervalNanos) {
            state.probing = true;
            return false;
        }
        return true;
    }

    /**
     * Records a response from {@code host}.
     *
     * @return the latching, if this response latched the host; {@code null} otherwise
     */
    public synchronized Latched record(String host, boolean forbidden, long now) {
        HostState state = hosts.computeIfAbsent(host, h -> new HostState());
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
        state.recent.addLast(forbidden);
        state.forbiddenInWindow += forbidden ? 1 : 0;
        if (state.recent.size() > window && state.recent.removeFirst()) {
            state.forbiddenInWindow--;
        }
        state.consecutive = forbidden ? state.consecutive + 1 : 0;
        String reason = null;
        if (state.consecutive >= consecutive) {
            reason = state.consecutive + " consecutive 403s";
        } else if (state.recent.size() >= window && state.forbiddenInWindow >= ratio * window) {
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
    public synchronized Set<String> blockedHosts() {
        Set<String> blocked = new TreeSet<>();
        hosts.forEach((host, state) -> {
            if (state.blocked) {
                blocked.add(host);
            }
        });
        return blocked;
    }

    /** Lifts the latch for {@code host} and forgets its history; returns whether it was blocked. */
    public synchronized boolean unblock(String host) {
        HostState state = hosts.get(host);
        if (state == null || !state.blocked) {
            return false;
        }
        reset(state);
        return true;
    }

    private static void reset(HostState state) {
        state.blocked = false;
        state.probing = false;
        state.consecutive = 0;
        state.forbiddenInWindow = 0;
        state.recent.clear();
    }
}
