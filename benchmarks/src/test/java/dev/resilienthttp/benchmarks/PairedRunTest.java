package dev.resilienthttp.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PairedRunTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachRoundIsComparedWithTheRawClientOfTheSameRoundNotWithTheRunsMedian() {
        PairedRun.Turns turns = new PairedRun.Turns();
        // The machine slows down by half in the second round; the wrapper runs at 1.35 times raw in both.
        turns.add(Client.RAW_JDK, new PairedRun.Window(10_000, 0, SECOND));
        turns.add(Client.RESILIENT_STANDARD, new PairedRun.Window(13_500, 0, SECOND));
        turns.add(Client.RAW_JDK, new PairedRun.Window(5_000, 0, SECOND));
        turns.add(Client.RESILIENT_STANDARD, new PairedRun.Window(6_750, 1, SECOND));

        assertThat(turns.ratios(Client.RESILIENT_STANDARD)).containsExactly(1.35, 1.35);
        assertThat(turns.markdown(1))
                .contains("| `resilientStandard` | 10,125 | 1.350 | 1.350–1.350 | 2 of 2 | 1 / 20,250 |");
    }

    @Test
    void quartilesInterpolateBetweenTheNearestValues() {
        List<Double> values = List.of(4.0, 1.0, 3.0, 2.0, 5.0);

        assertThat(Stats.quantile(values, 0.25)).isEqualTo(2.0);
        assertThat(Stats.quantile(values, 0.5)).isEqualTo(3.0);
        assertThat(Stats.quantile(List.of(1.0, 2.0), 0.25)).isCloseTo(1.25, within(1e-9));
        assertThat(Stats.quantile(List.of(), 0.5)).isNaN();
    }
}
