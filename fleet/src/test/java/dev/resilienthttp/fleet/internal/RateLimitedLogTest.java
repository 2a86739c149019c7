package dev.resilienthttp.fleet.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One line per kind per interval, on virtual time, and the next line says how many went unsaid. */
class RateLimitedLogTest {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void theFirstOccurrenceOfEachKindIsLoggedThenNothingUntilTheIntervalHasPassed() {
        RateLimitedLog log = new RateLimitedLog(10 * MINUTE);

        assertThat(log.permit("bad value", 0)).isZero();
        assertThat(log.permit("bad value", MINUTE)).isEqualTo(-1);
        assertThat(log.permit("bad value", 2 * MINUTE)).isEqualTo(-1);
        assertThat(log.permit("bad key", 2 * MINUTE)).as("another kind").isZero();
        assertThat(log.permit("bad value", 10 * MINUTE)).as("two unsaid").isEqualTo(2);
        assertThat(log.permit("bad value", 11 * MINUTE)).isEqualTo(-1);
    }
}
