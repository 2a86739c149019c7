package dev.resilienthttp.core.internal;

import java.time.Duration;
import java.util.Objects;

/** The one check of every {@code Duration} a builder takes, so that no later arithmetic on it can overflow. */
public final class Durations {

    private Durations() {
    }

    /**
     * {@code duration}, if it is positive and fits in nanoseconds (about 292 years): the clocks the library keeps
     * deadlines, ages and idle times on count nanoseconds in a {@code long}.
     *
     * @param name the setting, for the message
     * @throws IllegalArgumentException naming the setting, when the duration is zero, negative or too long
     */
    public static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        try {
            duration.toNanos();
        } catch (ArithmeticException tooLong) {
            throw new IllegalArgumentException(name + " is too long to count in nanoseconds (at most about "
                    + "292 years), was " + duration, tooLong);
        }
        return duration;
    }

    /** {@code duration} in seconds for a message: {@code "60 s"}, {@code "0.5 s"}, {@code "56.799 s"}. */
    public static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }
}
