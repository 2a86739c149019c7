package dev.resilienthttp.fleet.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.resilienthttp.fleet.internal.Signals.HOST;
import static dev.resilienthttp.fleet.internal.Signals.T0;
import static dev.resilienthttp.fleet.internal.Signals.blocked;
import static dev.resilienthttp.fleet.internal.Signals.lift;
import static org.assertj.core.api.Assertions.assertThat;

/** At most one hold record a second per host, and none over a BLOCKED, on virtual time. */
class OutboundTest {
    private final Outbound outbound = new Outbound();

    @Test
    void holdsArePublishedWhenNoneIsInForceOrWhenTheyEndMoreThanASecondLater() {
        assertThat(outbound.held(HOST, T0.plusSeconds(3), T0)).isTrue();
        assertThat(outbound.held(HOST, T0.plusSeconds(3).plusMillis(400), T0.plusMillis(400)))
                .as("a 429 in flight, 400 ms later").isFalse();
        assertThat(outbound.held(HOST, T0.plusSeconds(10), T0.plusMillis(500))).as("a longer hold").isTrue();
        assertThat(outbound.held(HOST, T0.plusSeconds(13), T0.plusSeconds(10))).as("the last one ended").isTrue();
        assertThat(outbound.held("other:443", T0.plusSeconds(3), T0)).isTrue();
    }

    @Test
    void aFloodOf429sMakesAtMostOneHoldRecordASecond() {
        int published = 0;
        for (int ms = 0; ms < 10_000; ms += 10) {   // a 429 every 10 ms asking for 3 s each time
            if (outbound.held(HOST, T0.plusMillis(ms).plusSeconds(3), T0.plusMillis(ms))) {
                published++;
            }
        }
        assertThat(published).isBetween(1, (int) Duration.ofSeconds(10).toSeconds());
    }

    @Test
    void noHoldIsPublishedWhileTheLatestWordOnTheHostIsAnUnexpiredBlocked() {
        outbound.seen(blocked("b", T0));
        assertThat(outbound.held(HOST, T0.plusSeconds(5), T0.plusSeconds(1))).as("b's BLOCKED").isFalse();

        outbound.seen(lift("c", T0.plusSeconds(2)));
        assertThat(outbound.held(HOST, T0.plusSeconds(6), T0.plusSeconds(2))).as("lifted since").isTrue();

        outbound.told(blocked("a", T0.plusSeconds(3)));
        assertThat(outbound.held(HOST, T0.plusSeconds(60), T0.plusSeconds(3))).as("this instance's own BLOCKED")
                .isFalse();
        outbound.seen(lift("c", T0.plusSeconds(2)));
        assertThat(outbound.held(HOST, T0.plusSeconds(60), T0.plusSeconds(3)))
                .as("an older lift read late does not undo a newer BLOCKED").isFalse();

        assertThat(outbound.held(HOST, T0.plus(Signals.HOUR).plusSeconds(10), T0.plus(Signals.HOUR).plusSeconds(4)))
                .as("the BLOCKED expired").isTrue();
    }

    @Test
    void aTombstoneLeavesNoWordOnTheHost() {
        outbound.seen(blocked("b", T0));
        outbound.forget(HOST);

        assertThat(outbound.held(HOST, T0.plusSeconds(5), T0.plusSeconds(1))).isTrue();
    }

    @Test
    void holdsThatHaveEndedAreNotKeptForHostsNeverHeldAgain() {
        for (int i = 0; i < 100_000; i++) {   // a 429 from a new tenant every 10 ms, each asking for 3 s
            Instant now = T0.plusMillis(10L * i);
            assertThat(outbound.held("tenant" + i + ".api.example.com:443", now.plusSeconds(3), now)).isTrue();
        }

        assertThat(outbound.holdsKept()).as("twice the 300 holds in force at most, not 100,000")
                .isLessThanOrEqualTo(600);
        assertThat(outbound.held("tenant99999.api.example.com:443", T0.plusMillis(999_995).plusSeconds(3),
                T0.plusMillis(999_995))).as("a hold in force is still known").isFalse();
    }
}
