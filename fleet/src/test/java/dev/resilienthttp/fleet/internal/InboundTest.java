package dev.resilienthttp.fleet.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.resilienthttp.fleet.internal.Signals.HOST;
import static dev.resilienthttp.fleet.internal.Signals.T0;
import static dev.resilienthttp.fleet.internal.Signals.blocked;
import static dev.resilienthttp.fleet.internal.Signals.hold;
import static dev.resilienthttp.fleet.internal.Signals.lift;
import static org.assertj.core.api.Assertions.assertThat;

/** The quorum rule, the expiry, the no-echo rule and the lift's rules of what is read, on virtual time. */
class InboundTest {
    private static final Instant NOW = T0.plusSeconds(1);

    @Test
    void withAQuorumOfOneAnotherInstancesBlockLatchesAtOnceSayingWhoWhenAndWhyDatedByItsLatch() {
        Inbound inbound = new Inbound("run-a", 1, 1);

        assertThat(inbound.read(blocked("b", T0), NOW)).contains(new Inbound.Block(HOST,
                "instance b at 2026-11-21T10:00:00Z: 20 consecutive 403s", T0));
    }

    @Test
    void ownBlocksAndHoldsCallForNothingButCountTowardsTheQuorum() {
        Inbound inbound = new Inbound("run-a", 2, 1);

        assertThat(inbound.read(blocked("a", T0), NOW)).isEmpty();
        assertThat(inbound.read(hold("a", T0, NOW.plusSeconds(3)), NOW)).isEmpty();
        assertThat(inbound.read(blocked("b", T0.plusSeconds(1)), NOW)).contains(new Inbound.Block(HOST,
                "instances a, b at 2026-11-21T10:00:01Z: 20 consecutive 403s", T0.plusSeconds(1)));
    }

    @Test
    void ownRecordsAreKnownByTheRunNotTheInstanceIdSoAnotherRunUnderTheSameIdIsAnotherInstance() {
        Inbound inbound = new Inbound("run-a", 1, 1);
        Signal predecessors = new Signal(Signal.What.BLOCKED, HOST, "a", "run-before-the-restart", T0,
                T0.plus(Signals.HOUR), null, "20 consecutive 403s");
        Signal noRun = new Signal(Signal.What.HOLD, HOST, "a", T0, T0.plusSeconds(5), T0.plusSeconds(5),
                "Retry-After");

        assertThat(inbound.read(predecessors, NOW)).get().isInstanceOf(Inbound.Block.class);
        assertThat(inbound.read(noRun, NOW)).contains(new Inbound.Hold(HOST, T0.plusSeconds(5)));
    }

    @Test
    void anInstancesOwnLiftReadBackIsAppliedToo() {
        // b's BLOCKED reached the topic; before a read it, a person unblocked the host on a. The topic's order is
        // BLOCKED(b), LIFT(a): a latches on b's record, then its own lift must lift it as it lifts every other.
        Inbound inbound = new Inbound("run-a", 1, 1);

        assertThat(inbound.read(blocked("b", T0), NOW)).get().isInstanceOf(Inbound.Block.class);
        assertThat(inbound.read(lift("a", T0.plusMillis(500)), NOW)).contains(new Inbound.Lift(HOST,
                "unblocked by hand on instance a at 2026-11-21T10:00:00.500Z", T0.plusMillis(500)));
    }

    @Test
    void aQuorumOfTwoNeedsTwoDistinctInstancesNotTwoRecordsOfOne() {
        Inbound inbound = new Inbound("run-a", 2, 1);

        assertThat(inbound.read(blocked("b", T0), NOW)).isEmpty();
        assertThat(inbound.read(blocked("b", T0.plusSeconds(1)), NOW)).as("b again").isEmpty();
        assertThat(inbound.read(blocked("c", T0.plusSeconds(1)), NOW)).get().isInstanceOf(Inbound.Block.class);
    }

    @Test
    void aLiftForgetsEveryReportSoTheQuorumCountsAfreshAndLiftsWhateverItsWritersQuorum() {
        Inbound inbound = new Inbound("run-a", 2, 1);
        inbound.read(blocked("b", T0), NOW);

        assertThat(inbound.read(lift("c", T0.plusSeconds(1)), NOW)).contains(new Inbound.Lift(HOST,
                "unblocked by hand on instance c at 2026-11-21T10:00:01Z", T0.plusSeconds(1)));
        assertThat(inbound.read(blocked("d", T0.plusSeconds(2)), NOW)).as("b's report was lifted").isEmpty();
    }

    @Test
    void aTombstoneForgetsEveryReportOfTheHostAndCallsForNothing() {
        Inbound inbound = new Inbound("run-a", 2, 2);
        inbound.read(blocked("b", T0), NOW);
        inbound.read(hold("b", T0, T0.plusSeconds(30)), NOW);

        inbound.forget(HOST);

        assertThat(inbound.read(blocked("c", T0.plusSeconds(1)), NOW)).as("b's BLOCKED was forgotten").isEmpty();
        assertThat(inbound.read(hold("c", T0, T0.plusSeconds(30)), NOW)).as("b's HOLD was forgotten").isEmpty();
    }

    @Test
    void aBlockOrHoldPastItsExpiryChangesNothingAndAnExpiredReportNoLongerCountsTowardsAQuorum() {
        Inbound inbound = new Inbound("run-a", 2, 1);
        Instant later = T0.plus(Signals.HOUR).plusSeconds(1);

        assertThat(inbound.read(blocked("b", T0), later)).as("expired when read").isEmpty();
        assertThat(new Inbound("run-a", 1, 1).read(blocked("b", T0), later)).isEmpty();

        inbound.read(blocked("b", T0), NOW);
        assertThat(inbound.read(blocked("c", T0.plus(Signals.HOUR)), later))
                .as("b's report expired meanwhile: one of two").isEmpty();
    }

    @Test
    void aLiftPastItsExpiryStillLiftsForTheLatchesThatClosedBeforeIt() {
        // Read a day late (a reader cut off from the broker): the latches it is about are still latched.
        Inbound inbound = new Inbound("run-a", 1, 1);

        assertThat(inbound.read(lift("c", T0), T0.plus(Duration.ofDays(1)))).contains(new Inbound.Lift(HOST,
                "unblocked by hand on instance c at 2026-11-21T10:00:00Z", T0));
    }

    @Test
    void aHoldFromOneInstanceHoldsUntilItsEnd() {
        Inbound inbound = new Inbound("run-a", 1, 1);

        assertThat(inbound.read(hold("b", T0, T0.plusSeconds(3)), NOW)).contains(new Inbound.Hold(HOST,
                T0.plusSeconds(3)));
        assertThat(inbound.read(hold("b", T0, T0.plusSeconds(1)), NOW.plusSeconds(1))).as("over when read")
                .isEmpty();
    }

    @Test
    void withAHoldQuorumOfTwoTheHostIsHeldUntilTheLatestEndTwoInstancesAgreeOn() {
        Inbound inbound = new Inbound("run-a", 1, 2);

        assertThat(inbound.read(hold("b", T0, T0.plusSeconds(30)), NOW)).isEmpty();
        assertThat(inbound.read(hold("c", T0, T0.plusSeconds(5)), NOW)).contains(new Inbound.Hold(HOST,
                T0.plusSeconds(5)));
        assertThat(inbound.read(hold("d", T0, T0.plusSeconds(20)), NOW)).contains(new Inbound.Hold(HOST,
                T0.plusSeconds(20)));
        assertThat(inbound.read(hold("c", T0, T0.plusSeconds(9)), NOW.plus(Duration.ofSeconds(25))))
                .as("only b's is in force at +26 s: one of two").isEmpty();
    }

    @Test
    void aBlockWrittenBeforeALiftButReadAfterItCallsForNothing() {
        Inbound inbound = new Inbound("run-a", 1, 1);
        inbound.read(lift("c", T0.plusSeconds(5)), T0.plusSeconds(5));

        assertThat(inbound.read(blocked("b", T0), T0.plusSeconds(10))).as("the latch the person lifted").isEmpty();
        assertThat(inbound.read(blocked("b", T0.plusSeconds(6)), T0.plusSeconds(10))).as("a latch closed since")
                .get().isInstanceOf(Inbound.Block.class);
    }

    @Test
    void aLiftReadLateForgetsOnlyTheReportsOfLatchesThatClosedBeforeIt() {
        Inbound inbound = new Inbound("run-a", 2, 1);
        assertThat(inbound.read(blocked("b", T0.plusSeconds(6)), T0.plusSeconds(7))).isEmpty();
        inbound.read(lift("c", T0.plusSeconds(5)), T0.plusSeconds(8));

        assertThat(inbound.read(blocked("d", T0.plusSeconds(9)), T0.plusSeconds(10))).as("b's report still counts")
                .get().isInstanceOf(Inbound.Block.class);
    }

    @Test
    void reportsThatHaveExpiredAreNotKeptForHostsNeverReportedAgain() {
        Inbound inbound = new Inbound("run-a", 1, 1);
        for (int i = 0; i < 100_000; i++) {   // b holds a new tenant every 10 ms, each for 3 s
            Instant at = T0.plusMillis(10L * i);
            Signal held = new Signal(Signal.What.HOLD, "tenant" + i + ".api.example.com:443", "b", "run-b", at,
                    at.plusSeconds(3), at.plusSeconds(3), "Retry-After");
            assertThat(inbound.read(held, at)).isNotEmpty();
        }

        assertThat(inbound.hostsKept()).as("twice the 300 holds in force at most, not 100,000")
                .isLessThanOrEqualTo(601);
    }
}
