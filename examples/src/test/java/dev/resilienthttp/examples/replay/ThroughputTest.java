package dev.resilienthttp.examples.replay;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ThroughputTest {
    private static final Instant RELEASED = Instant.parse("2026-12-05T17:00:00Z");

    @Test
    void dividesTheFirstPassesDoneByTheSpanFromTheFirstReleaseToTheLastFirstPass() {
        Throughput throughput = Throughput.between(RELEASED, Optional.of(RELEASED.plusMillis(2_500)), 1000);

        assertThat(throughput.span()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(throughput.eventsPerSecond()).isEqualTo(400.0);
    }

    @Test
    void countsASpanShorterThanKafkasMillisecondTimestampsAsOneMillisecond() {
        Throughput throughput = Throughput.between(RELEASED, Optional.of(RELEASED), 3);

        assertThat(throughput.eventsPerSecond()).isEqualTo(3000.0);
    }

    @Test
    void isZeroEventsPerSecondWhenNoEventWasDone() {
        Throughput throughput = Throughput.between(RELEASED, Optional.empty(), 0);

        assertThat(throughput.span()).isZero();
        assertThat(throughput.eventsPerSecond()).isZero();
    }

    @Test
    void aLastPassStampedBeforeTheReleaseGivesNoNegativeSpan() {
        // Wall-clock time: the clock may step back between the release and the pipeline's send.
        Throughput throughput = Throughput.between(RELEASED, Optional.of(RELEASED.minusMillis(5)), 2);

        assertThat(throughput.span()).isZero();
        assertThat(throughput.eventsPerSecond()).isEqualTo(2000.0);
    }
}
