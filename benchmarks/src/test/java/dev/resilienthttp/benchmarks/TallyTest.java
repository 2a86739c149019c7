package dev.resilienthttp.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TallyTest {
    private static final long MS = 1_000_000;

    @Test
    void countsEveryCallOnceAndOnly2xxAsSuccess() {
        Tally tally = new Tally();
        tally.status(200, MS);
        tally.status(201, MS);
        tally.status(503, MS);
        tally.failed("SocketException: Connection reset", MS);
        tally.failed("SocketException: Connection reset", MS);

        Tally.Summary summary = tally.summary(1_000 * MS);

        assertThat(summary.calls()).isEqualTo(5);
        assertThat(summary.succeeded()).isEqualTo(2);
        assertThat(summary.successPercent()).isEqualTo(40.0);
        assertThat(summary.goodput()).isEqualTo(2.0);
        assertThat(summary.failures())
                .isEqualTo(Map.of("HTTP 503", 1, "SocketException: Connection reset", 2));
    }

    @Test
    void percentilesAreNearestRankOverAllCallsFailedOnesIncluded() {
        Tally tally = new Tally();
        for (int millis = 1; millis <= 1000; millis++) {
            tally.status(200, millis * MS);
        }
        tally.failed("slow failure", 5000 * MS);

        Tally.Summary summary = tally.summary(MS);

        assertThat(summary.calls()).isEqualTo(1001);
        assertThat(summary.p50Millis()).isEqualTo(501.0);
        assertThat(summary.p99Millis()).isEqualTo(991.0);
        assertThat(summary.maxMillis()).isEqualTo(5000.0);
    }

    @Test
    void anEmptyTallyHasNoLatencies() {
        Tally.Summary summary = new Tally().summary(MS);

        assertThat(summary.calls()).isZero();
        assertThat(summary.p99Millis()).isZero();
        assertThat(summary.successPercent()).isZero();
    }

    @Test
    void failureReasonsLeaveOutAddressesSoThatTheySumAcrossConnections() {
        assertThat(FaultRun.reason(new IOException("unexpected end of stream on http://127.0.0.1:41234/...")))
                .isEqualTo("IOException: unexpected end of stream on …");
        assertThat(FaultRun.reason(new SocketException("Connection reset")))
                .isEqualTo("SocketException: Connection reset");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    }
}
