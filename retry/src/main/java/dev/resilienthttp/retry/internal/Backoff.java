package dev.resilienthttp.retry.internal;

import dev.resilienthttp.retry.Jitter;

import java.time.Duration;

/** The wait before a retry when the server named none: exponential, capped, jittered. */
final class Backoff {
    private final Settings settings;

    Backoff(Settings settings) {
        this.settings = settings;
    }

    /**
     * The wait after failed attempt {@code attempt} (1-based), given the previous wait (zero before the first retry).
     */
    Duration after(int attempt, Duration previous) {
        long baseNanos = settings.base().toNanos();
        long capNanos = settings.cap().toNanos();
        double random = settings.random().get().nextDouble();
        if (settings.jitter() == Jitter.DECORRELATED) {
            long from = baseNanos;
            long to = saturatedTimes(Math.max(baseNanos, previous.toNanos()), 3);
            return Duration.ofNanos(Math.min(capNanos, from + (long) (random * (to - from))));
        }
        double step = baseNanos * Math.pow(settings.multiplier(), attempt - 1);
        long ceiling = step >= capNanos ? capNanos : (long) step;
        return Duration.ofNanos((long) (random * ceiling));
    }

    private static long saturatedTimes(long value, int factor) {
        return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
    }
}
