package dev.resilienthttp.fleet.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * One log line per kind of trouble per interval, however often it happens: a misconfigured peer writing a bad record
 * every second, or a broker down for an hour, must not flood the service's log. The line after a quiet interval says
 * how many were left unsaid. Time is passed in (nanoseconds of a monotonic source). Thread-safe.
 */
public final class RateLimitedLog {
    private final long intervalNanos;
    private final Map<String, long[]> kinds = new HashMap<>();

    /** At most one line per kind per {@code intervalNanos}. */
    public RateLimitedLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Whether this occurrence of {@code kind} at {@code now} is logged: -1 if not, otherwise how many occurrences
     * since the last line went unlogged.
     */
    public synchronized long permit(String kind, long now) {
        long[] state = kinds.get(kind);   // {when the last line was, how many since}
        if (state == null) {
            kinds.put(kind, new long[] {now, 0});
            return 0;
        }
        if (now - state[0] < intervalNanos) {
            state[1]++;
            return -1;
        }
        long unlogged = state[1];
        state[0] = now;
        state[1] = 0;
        return unlogged;
    }
}
