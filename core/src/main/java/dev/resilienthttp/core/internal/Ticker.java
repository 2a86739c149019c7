package dev.resilienthttp.core.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * A monotonic time source in nanoseconds, for elapsed times and connection deadlines. The system one is
 * {@link System#nanoTime()}; with an injected {@link Clock} (tests, simulations) it follows that clock, so
 * virtual time moves both wall-clock and elapsed readings.
 */
@FunctionalInterface
public interface Ticker {
    /** The system's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long read();

    /** The system ticker for the system clock; otherwise a ticker that follows {@code clock}. */
    static Ticker of(Clock clock) {
        if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
            return SYSTEM;
        }
        return () -> {
            Instant now = clock.instant();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        };
    }
}
