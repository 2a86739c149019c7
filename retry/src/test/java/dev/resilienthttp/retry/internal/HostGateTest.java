package dev.resilienthttp.retry.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostGateTest {
    private static long s(double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }

    private final HostGate gate = new HostGate();

    @Test
    void aHeldHostMakesEveryRequestWaitUntilTheTimeGiven() {
        gate.holdUntil("a:443", s(12));
        assertThat(gate.waitNanos("a:443", s(10))).isEqualTo(s(2));
        assertThat(gate.waitNanos("a:443", s(11.5))).isEqualTo(s(0.5));
        assertThat(gate.waitNanos("a:443", s(12))).isZero();
        assertThat(gate.waitNanos("b:443", s(10))).as("other hosts are not held").isZero();
    }

    @Test
    void theLaterOfTwoHoldsWins() {
        gate.holdUntil("a:443", s(20));
        gate.holdUntil("a:443", s(15));
        assertThat(gate.waitNanos("a:443", s(10))).isEqualTo(s(10));
    }

    @Test
    void aSweepForgetsTheHoldsThatHavePassedAndKeepsThoseInForce() {
        gate.holdUntil("a:443", s(12));
        gate.holdUntil("never-called-again:443", s(5));

        gate.sweep(s(10));

        assertThat(gate.size()).isOne();
        assertThat(gate.waitNanos("a:443", s(10))).isEqualTo(s(2));
    }
}
