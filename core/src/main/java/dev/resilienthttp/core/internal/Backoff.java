package dev.resilienthttp.core.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The one backoff of the library: the retry policy's waits between attempts and the Kafka adapter's waits between
 * produce tries and between an event's passes. Step {@code n} (from 1) grows from {@code base} by
 * {@code multiplier}, never past {@code cap}, and is spread so that a fleet that failed together does not retry
 * together (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 */
public final class Backoff {

    /** How a step is randomised. */
    public enum Spread {
        /** Exactly the step: for tests and for waits that something else already spreads. */
        NONE,
        /** Uniform in [0, step): the AWS recommendation for retries. */
        FULL,
        /** Uniform in [step / 2, step]: never much shorter than asked, for waits that must not collapse to zero. */
        EQUAL,
        /** Uniform in [base, previous wait &times; 3], capped: spreads retries wider once they are long. */
        DECORRELATED
    }

    private final long baseNanos;
    private final double multiplier;
    private final long capNanos;
    private final Spread spread;
    private final Supplier<? extends Random> random;

    /**
     * @param base       the first step, positive
     * @param multiplier the growth of each step, at least 1
     * @param cap        the longest step, not shorter than {@code base}
     * @param random     the source of the spread, e.g. {@code ThreadLocalRandom::current}
     * @throws IllegalArgumentException naming what is wrong
     */
    public Backoff(Duration base, double multiplier, Duration cap, Spread spread, Supplier<? extends Random> random) {
        this.baseNanos = Durations.positive(base, "base").toNanos();
        this.capNanos = Durations.positive(cap, "cap").toNanos();
        if (capNanos < baseNanos) {
            throw new IllegalArgumentException("cap (" + cap + ") must not be shorter than base (" + base + ")");
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        this.multiplier = multiplier;
        this.spread = Objects.requireNonNull(spread, "spread");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * The wait after failure {@code attempt} (1-based; a smaller number counts as 1), given the wait before it
     * ({@link Duration#ZERO} before the first), which only {@link Spread#DECORRELATED} reads.
     */
    public Duration after(int attempt, Duration previous) {
        double step = baseNanos * Math.pow(multiplier, Math.max(0, attempt - 1));
        long ceiling = step >= capNanos ? capNanos : (long) step;
        switch (spread) {
            case NONE:
                return Duration.ofNanos(ceiling);
            case FULL:
                return Duration.ofNanos((long) (draw() * ceiling));
            case EQUAL:
                return Duration.ofNanos(ceiling / 2 + (long) (draw() * (ceiling - ceiling / 2)));
            default:
                long to = saturatedTimes(Math.max(baseNanos, previous.toNanos()), 3);
                return Duration.ofNanos(Math.min(capNanos, baseNanos + (long) (draw() * (to - baseNanos))));
        }
    }

    /** The first step. */
    public Duration base() {
        return Duration.ofNanos(baseNanos);
    }

    /** The longest step. */
    public Duration cap() {
        return Duration.ofNanos(capNanos);
    }

    private double draw() {
        return random.get().nextDouble();
    }

    private static long saturatedTimes(long value, int factor) {
        return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
    }
}
