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

/** The quorum rule, the expiry and the no-echo rule of what is read, on virtual time. */
class InboundTest {
    private static final Instant NOW = T0.plusSeconds(1);

    @Test
    void withAQuorumOfOneAnotherInstancesBlockLatchesAtOnceSayingWhoWhenAndWhy() {
        Inbound inbound = new Inbound("a", 1, 1);

        assertThat(inbound.read(blocked("b", T0), NOW)).contains(new Inbound.Block(HOST,
                "instance b at 2026-11-21T10:00:00Z: 20 consecutive 403s"));
    }

    @Test
    void ownRecordsCallForNothingButCountTowardsTheQuorum() {
        Inbound inbound = new Inbound("a", 2, 1);

        assertThat(inbound.read(blocked("a", T0), NOW)).isEmpty();
        assertThat(inbound.read(hold("a", T0, NOW.plusSeconds(3)), NOW)).isEmpty();
        assertThat(inbound.read(lift("a", T0), NOW)).isEmpty();
        assertThat(inbound.read(blocked("a", T0), NOW)).isEmpty();
        assertThat(inbound.read(blocked("b", T0.plusSeconds(1)), NOW)).get().isInstanceOf(Inbound.Block.class)
                .extracting(action -> ((Inbound.Block) action).reason())
                .isEqualTo("instances a, b at 2026-11-21T10:00:01Z: 20 consecutive 403s");
    }

    @Test
    void aQuorumOfTwoNeedsTwoDistinctInstancesNotTwoRecordsOfOne() {
        Inbound inbound = new Inbound("a", 2, 1);

        assertThat(inbound.read(blocked("b", T0), NOW)).isEmpty();
        assertThat(inbound.read(blocked("b", T0.plusSeconds(1)), NOW)).as("b again").isEmpty();
        assertThat(inbound.read(blocked("c", T0.plusSeconds(1)), NOW)).get().isInstanceOf(Inbound.Block.class);
    }

    @Test
    void aLiftForgetsEveryReportSoTheQuorumCountsAfreshAndLiftsWhateverItsWritersQuorum() {
        Inbound inbound = new Inbound("a", 2, 1);
        inbound.read(blocked("b", T0), NOW);

        assertThat(inbound.read(lift("c", T0.plusSeconds(1)), NOW)).contains(new Inbound.Lift(HOST,
                "unblocked by hand on instance c at 2026-11-21T10:00:01Z"));
        assertThat(inbound.read(blocked("d", T0.plusSeconds(2)), NOW)).as("b's report was lifted").isEmpty();
    }

    @Test
    void aRecordPastItsExpiryChangesNothingAndAnExpiredReportNoLongerCountsTowardsAQuorum() {
        Inbound inbound = new Inbound("a", 2, 1);
        Instant later = T0.plus(Signals.HOUR).plusSeconds(1);

        assertThat(inbound.read(blocked("b", T0), later)).as("expired when read").isEmpty();
        assertThat(new Inbound("a", 1, 1).read(blocked("b", T0), later)).isEmpty();

        inbound.read(blocked("b", T0), NOW);
        assertThat(inbound.read(blocked("c", T0.plus(Signals.HOUR)), later))
                .as("b's report expired meanwhile: one of two").isEmpty();
    }

    @Test
    void aHoldFromOneInstanceHoldsUntilItsEnd() {
        Inbound inbound = new Inbound("a", 1, 1);

        assertThat(inbound.read(hold("b", T0, T0.plusSeconds(3)), NOW)).contains(new Inbound.Hold(HOST,
                T0.plusSeconds(3)));
        assertThat(inbound.read(hold("b", T0, T0.plusSeconds(1)), NOW.plusSeconds(1))).as("over when read")
                .isEmpty();
    }

    @Test
    void withAHoldQuorumOfTwoTheHostIsHeldUntilTheLatestEndTwoInstancesAgreeOn() {
        Inbound inbound = new Inbound("a", 1, 2);

        assertThat(inbound.read(hold("b", T0, T0.plusSeconds(30)), NOW)).isEmpty();
        assertThat(inbound.read(hold("c", T0, T0.plusSeconds(5)), NOW)).contains(new Inbound.Hold(HOST,
                T0.plusSeconds(5)));
        assertThat(inbound.read(hold("d", T0, T0.plusSeconds(20)), NOW)).contains(new Inbound.Hold(HOST,
                T0.plusSeconds(20)));
        assertThat(inbound.read(hold("c", T0, T0.plusSeconds(9)), NOW.plus(Duration.ofSeconds(25))))
                .as("only b's is in force at +26 s: one of two").isEmpty();
    }
}
