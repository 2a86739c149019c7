package dev.resilienthttp.fleet.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.resilienthttp.fleet.internal.Signals.HOST;
import static dev.resilienthttp.fleet.internal.Signals.T0;
import static dev.resilienthttp.fleet.internal.Signals.blocked;
import static dev.resilienthttp.fleet.internal.Signals.hold;
import static dev.resilienthttp.fleet.internal.Signals.lift;
import static org.assertj.core.api.Assertions.assertThat;

/** What waits for the publisher: the latest per host, nothing refused, a failure back while latest; virtual time. */
class PendingSignalsTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final PendingSignals pending = new PendingSignals(signal -> false);

    @Test
    void aNewerSignalForAHostReplacesTheOneWaitingAndHostsGoOutInTheOrderTheyWereLastOffered() {
        Signal other = new Signal(Signal.What.BLOCKED, "other.example.org:443", "b", T0, T0.plus(Signals.HOUR), null,
                "20 consecutive 403s");
        pending.offer(blocked("a", T0), 0);
        pending.offer(other, 0);
        pending.offer(lift("a", T0.plusSeconds(1)), 0);

        assertThat(pending.next(T0, 0)).isEqualTo(other);
        assertThat(pending.next(T0, 0)).isEqualTo(lift("a", T0.plusSeconds(1)));
        assertThat(pending.next(T0, 0)).isNull();
        assertThat(pending.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLiftIsNeverRefusedHoweverManyHostsWait() {
        for (int i = 0; i < 10_000; i++) {
            pending.offer(new Signal(Signal.What.HOLD, "api-" + i + ".example.org:443", "a", T0,
                    T0.plusSeconds(30), T0.plusSeconds(30), "Retry-After"), 0);
        }
        pending.offer(lift("a", T0), 0);

        List<Signal> out = new ArrayList<>();
        for (Signal next; (next = pending.next(T0, 0)) != null; ) {
            out.add(next);
        }
        assertThat(out).hasSize(10_001).last().isEqualTo(lift("a", T0));
    }

    @Test
    void aHoldOrBlockedPastItsExpiryIsDroppedButALiftIsSentHoweverOld() {
        pending.offer(hold("a", T0, T0.plusSeconds(3)), 0);
        pending.offer(new Signal(Signal.What.LIFT, "old.example.org:443", "a", T0, T0.plusSeconds(1), null,
                "unblocked by hand"), 0);

        assertThat(pending.next(T0.plusSeconds(5), 0)).extracting(Signal::what).isEqualTo(Signal.What.LIFT);
        assertThat(pending.next(T0.plusSeconds(5), 0)).isNull();
    }

    @Test
    void aFailedSignalWaitsAgainWithABackoffWhileItIsStillItsHostsLatest() {
        Signal lift = lift("a", T0);
        pending.offer(lift, 0);
        assertThat(pending.next(T0, 0)).isEqualTo(lift);

        assertThat(pending.failed(lift, T0, 0)).isTrue();
        assertThat(pending.next(T0, SECOND / 2)).as("backing off").isNull();
        assertThat(pending.nanosUntilDue(SECOND / 2)).isEqualTo(SECOND / 2);
        assertThat(pending.next(T0, SECOND)).isEqualTo(lift);
        assertThat(pending.failed(lift, T0, SECOND)).isTrue();
        assertThat(pending.nanosUntilDue(SECOND)).as("doubled").isEqualTo(2 * SECOND);
        assertThat(pending.next(T0, 3 * SECOND)).isEqualTo(lift);

        pending.sent(lift);
        assertThat(pending.failed(lift, T0, 3 * SECOND)).as("sent: a late failure of a copy changes nothing")
                .isFalse();
    }

    @Test
    void aFailedSignalThatANewerOneReplacedOrThatExpiredDoesNotComeBack() {
        Signal blocked = blocked("a", T0);
        pending.offer(blocked, 0);
        pending.next(T0, 0);
        pending.offer(lift("a", T0.plusSeconds(1)), 0);

        assertThat(pending.failed(blocked, T0, 0)).as("a newer signal for the host").isFalse();
        assertThat(pending.next(T0, 0)).isEqualTo(lift("a", T0.plusSeconds(1)));
        assertThat(pending.next(T0, 0)).isNull();

        Signal held = hold("a", T0, T0.plusSeconds(3));
        pending.offer(held, 0);
        pending.next(T0, 0);
        assertThat(pending.failed(held, T0.plusSeconds(3), 0)).as("over").isFalse();
        assertThat(pending.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void drainTakesEverythingWaitingDueOrNotAndForgetsTheRest() {
        Signal lift = lift("a", T0);
        pending.offer(lift, 0);
        pending.next(T0, 0);
        pending.failed(lift, T0, 0);
        pending.offer(new Signal(Signal.What.BLOCKED, "other.example.org:443", "a", T0, T0.plus(Signals.HOUR), null,
                ""), 0);

        assertThat(pending.drain()).extracting(Signal::host).containsExactly(HOST, "other.example.org:443");
        assertThat(pending.failed(lift, T0, 0)).isFalse();
        assertThat(pending.next(T0, Long.MAX_VALUE / 2)).isNull();
    }


    @Test
    void aBlockALiftHasSupersededSinceItWasOfferedIsDroppedNotSent() {
        Outbound outbound = new Outbound();
        PendingSignals waiting = new PendingSignals(outbound::superseded);
        waiting.offer(blocked("a", T0), 0);   // latched while the path to the brokers was down
        outbound.seen(lift("b", T0.plusSeconds(5)));   // a person's unblock on another instance, read here

        assertThat(waiting.next(T0.plusSeconds(10), 0)).as("the lifted latch's record").isNull();
        assertThat(waiting.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aBlockOfALatchClosedAfterTheLiftIsStillSent() {
        Outbound outbound = new Outbound();
        PendingSignals waiting = new PendingSignals(outbound::superseded);
        outbound.seen(lift("b", T0));
        waiting.offer(blocked("a", T0.plusSeconds(5)), 0);

        assertThat(waiting.next(T0.plusSeconds(10), 0)).isEqualTo(blocked("a", T0.plusSeconds(5)));
    }
}
