package dev.resilienthttp.fleet.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.resilienthttp.fleet.internal.Signals.HOST;
import static dev.resilienthttp.fleet.internal.Signals.T0;
import static dev.resilienthttp.fleet.internal.Signals.blocked;
import static dev.resilienthttp.fleet.internal.Signals.lift;
import static org.assertj.core.api.Assertions.assertThat;

/** One record per host per change of state, on virtual time. */
class OutboundTest {
    private final Outbound outbound = new Outbound();

    @Test
    void aLatchIsPublishedOnceAndAgainOnlyAfterALiftWasSeen() {
        assertThat(outbound.blocked(HOST)).isTrue();
        assertThat(outbound.blocked(HOST)).isFalse();
        assertThat(outbound.blocked("other:443")).isTrue();

        outbound.seen(lift("c", T0));
        assertThat(outbound.blocked(HOST)).isTrue();
    }

    @Test
    void aPersonsUnblockIsPublishedUnlessTheTopicsLatestWordOnTheHostIsALiftAlready() {
        assertThat(outbound.unblocked(HOST)).as("nothing known: a lift is harmless").isTrue();
        assertThat(outbound.unblocked(HOST)).as("a second click").isFalse();

        outbound.seen(blocked("b", T0));
        assertThat(outbound.unblocked(HOST)).as("b blocked it since").isTrue();

        outbound.seen(blocked("b", T0));
        outbound.seen(lift("c", T0));
        assertThat(outbound.unblocked(HOST)).as("c lifted it already").isFalse();

        outbound.blocked(HOST);
        assertThat(outbound.unblocked(HOST)).as("this instance blocked it since").isTrue();
    }

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
}
