package dev.resilienthttp.core.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one backoff: its steps, each spread, and the settings it refuses. */
class BackoffTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration TEN = Duration.ofSeconds(10);

    private static Backoff backoff(Backoff.Spread spread) {
        Random seeded = new Random(42);
        return new Backoff(SECOND, 2.0, TEN, spread, () -> seeded);
    }

    @Test
    void stepsDoubleFromTheBaseUpToTheCap() {
        Backoff exact = backoff(Backoff.Spread.NONE);

        assertThat(List.of(exact.after(0, Duration.ZERO), exact.after(1, Duration.ZERO), exact.after(2, Duration.ZERO),
                exact.after(4, Duration.ZERO), exact.after(5, Duration.ZERO), exact.after(Integer.MAX_VALUE, Duration.ZERO)))
                .containsExactly(SECOND, SECOND, Duration.ofSeconds(2), Duration.ofSeconds(8), TEN, TEN);
    }

    @Test
    void eachSpreadStaysWithinItsRange() {
        Backoff full = backoff(Backoff.Spread.FULL);
        Backoff equal = backoff(Backoff.Spread.EQUAL);
        Backoff decorrelated = backoff(Backoff.Spread.DECORRELATED);
        for (int sample = 0; sample < 200; sample++) {
            assertThat(full.after(3, Duration.ZERO)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
            assertThat(equal.after(3, Duration.ZERO)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(decorrelated.after(3, Duration.ofSeconds(2))).isBetween(SECOND, Duration.ofSeconds(6));
            assertThat(decorrelated.after(3, Duration.ofSeconds(9))).isBetween(SECOND, TEN);
        }
    }

    @Test
    void aCapShorterThanTheBaseOrAMultiplierBelowOneIsRefusedByName() {
        assertThatThrownBy(() -> new Backoff(TEN, 2.0, SECOND, Backoff.Spread.NONE, Random::new))
                .hasMessageContaining("cap (PT1S) must not be shorter than base (PT10S)");
        assertThatThrownBy(() -> new Backoff(SECOND, 0.5, TEN, Backoff.Spread.NONE, Random::new))
                .hasMessageContaining("multiplier must be at least 1");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2.0, TEN, Backoff.Spread.NONE, Random::new))
                .hasMessageContaining("base must be positive");
    }
}
