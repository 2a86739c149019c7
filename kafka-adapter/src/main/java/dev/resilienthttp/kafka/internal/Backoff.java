package dev.resilienthttp.kafka.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential steps without jitter: step {@code n} (from 1) is {@code base × 2^(n−1)}, never more than {@code cap}.
 * No jitter: the error topic's not-before times are already spread by when each event failed.
 */
public record Backoff(Duration base, Duration cap) {
    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base must be positive, was " + base);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("cap (" + cap + ") must not be shorter than base (" + base + ")");
        }
    }

    /** The wait of step {@code n}, counted from 1 (a smaller {@code n} counts as 1). */
    public Duration delay(int n) {
        int doublings = Math.max(0, n - 1);
        // 2^62 ns is 146 years: past that every step is the cap anyway, and the shift cannot overflow.
        if (doublings >= 62) {
            return cap;
        }
        long nanos = base.toNanos();
        long factor = 1L << doublings;
        return nanos > cap.toNanos() / factor ? cap : Duration.ofNanos(nanos * factor);
    }
}
