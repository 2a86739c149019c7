package dev.resilienthttp.retry.internal;

/**
 * Finagle's retry budget: retries are allowed while the retries of the last {@code ttl} stay within
 * {@code percent} of the requests of the same window plus a reserve of {@code minPerSecond} retries per second.
 * When the upstream is really down, every request fails and the budget caps the extra load at about
 * {@code percent}, instead of multiplying it by the attempt count. A request's first attempt is never refused.
 *
 * <p>Counts live in one-second buckets over the window; time is passed in (nanoseconds of a monotonic source).
 * Thread-safe.
 */
public final class RetryBudget {
    private static final long SECOND = 1_000_000_000L;

    private final double percent;
    private final int minPerSecond;
    private final int seconds;
    private final long[] bucketSecond;
    private final int[] requests;
    private final int[] retries;
    private long latestSecond = Long.MIN_VALUE;

    /**
     * @param percent      retries allowed per request, 0 to 1 (Finagle: 0.2)
     * @param minPerSecond retries allowed each second whatever the traffic (Finagle: 10)
     * @param ttlSeconds   the window, in whole seconds (Finagle: 10)
     */
    public RetryBudget(double percent, int minPerSecond, int ttlSeconds) {
        this.percent = percent;
        this.minPerSecond = minPerSecond;
        this.seconds = ttlSeconds;
        this.bucketSecond = new long[ttlSeconds];
        this.requests = new int[ttlSeconds];
        this.retries = new int[ttlSeconds];
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    /** Counts a request (its first attempt). */
    public synchronized void request(long now) {
        requests[bucket(now)]++;
    }

    /** Takes a retry from the budget if it allows one at {@code now}; returns whether it did. */
    public synchronized boolean tryRetry(long now) {
        int current = bucket(now);
        long requestsInWindow = 0;
        long retriesInWindow = 0;
        for (int i = 0; i < seconds; i++) {
            requestsInWindow += requests[i];
            retriesInWindow += retries[i];
        }
        double allowed = percent * requestsInWindow + (double) minPerSecond * seconds;
        if (retriesInWindow + 1 > allowed) {
            return false;
        }
        retries[current]++;
        return true;
    }

    /**
     * Counts retries someone else already made (the JDK re-sends a GET once inside an attempt), refusing none: they
     * happened, and the budget left for ours shrinks by as much.
     */
    public synchronized void retriedAnyway(long now, int count) {
        retries[bucket(now)] += count;
    }

    /** The bucket for {@code now}, emptying the buckets that have left the window. */
    private int bucket(long now) {
        long second = Math.floorDiv(now, SECOND);
        int index = (int) Math.floorMod(second, (long) seconds);
        if (bucketSecond[index] == second && second == latestSecond) {
            return index;   // still the latest second: nothing has left the window since the last look
        }
        latestSecond = Math.max(latestSecond, second);
        for (int i = 0; i < seconds; i++) {
            if (bucketSecond[i] != Long.MIN_VALUE && second - bucketSecond[i] >= seconds) {
                bucketSecond[i] = Long.MIN_VALUE;
                requests[i] = 0;
                retries[i] = 0;
            }
        }
        if (bucketSecond[index] != second) {
            bucketSecond[index] = second;
            requests[index] = 0;
            retries[index] = 0;
        }
        return index;
    }
}
