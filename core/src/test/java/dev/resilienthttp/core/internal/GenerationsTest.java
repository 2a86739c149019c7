package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.RotationReason;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rotation deadlines with literal times (seconds, as nanoseconds), no sleeping. */
class GenerationsTest {
    private static final Duration MAX_AGE = Duration.ofSeconds(240);
    private static final Duration MAX_IDLE = Duration.ofSeconds(50);

    private final List<String> rotations = new ArrayList<>();
    private int drained;
    private final Generations generations = new Generations(InertHttpClient::new, MAX_AGE, MAX_IDLE,
            Duration.ofSeconds(1),
            new Generations.RotationListener() {
                @Override
                public void rotated(Generation retired, Generation current, RotationReason reason) {
                    rotations.add(retired.number() + "->" + current.number() + " " + reason);
                }

                @Override
                public void suppressed(Generation current, RotationReason reason) {
                    rotations.add("suppressed " + current.number() + " " + reason);
                }
            }, () -> drained++);

    private static final String BUSY = Origin.of(URI.create("https://busy.example.org/a")).key();
    private static final String QUIET = Origin.of(URI.create("https://quiet.example.org/b")).key();

    private Lease acquire(long now) {
        return generations.acquire(now, BUSY);
    }

    private void release(Lease lease, long now) {
        generations.release(lease, now, ConnectionAfter.POOLED);
    }

    private static long s(double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }

    @Test
    void firstRequestCreatesTheFirstGenerationAndBuildingCreatesNone() {
        assertThat(generations.alive()).isZero();
        Generation first = acquire(s(0)).generation();
        assertThat(first.number()).isEqualTo(1);
        assertThat(generations.alive()).isEqualTo(1);
        assertThat(rotations).isEmpty();
    }

    @Test
    void aGenerationServesRequestsUntilItsMaxAgeThenTheNextRequestGetsAFreshOne() {
        Lease first = acquire(s(0));
        release(first, s(0.1));
        for (int second = 40; second < 240; second += 40) {
            Lease same = acquire(s(second));
            assertThat(same.generation()).isSameAs(first.generation());
            release(same, s(second + 0.1));
        }
        Generation fresh = acquire(s(240)).generation();
        assertThat(fresh.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 MAX_AGE");
    }

    @Test
    void aGenerationIdleForMaxIdleIsReplacedButOneUsedJustBeforeIsNot() {
        Lease first = acquire(s(0));
        release(first, s(1));
        Lease again = acquire(s(50.9));
        assertThat(again.generation()).isSameAs(first.generation());
        release(again, s(51));
        Generation fresh = acquire(s(101)).generation();
        assertThat(fresh.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 IDLE");
    }

    @Test
    void anOriginQuietForMaxIdleGetsAFreshGenerationEvenWhileAnotherOriginKeepsItBusy() {
        Lease first = generations.acquire(s(0), QUIET);
        generations.release(first, s(1), ConnectionAfter.POOLED);
        for (int second = 10; second <= 60; second += 10) {
            release(acquire(s(second)), s(second));
        }
        Lease again = generations.acquire(s(50), QUIET);
        assertThat(again.generation()).isSameAs(first.generation());
        generations.release(again, s(50), ConnectionAfter.POOLED);
        Generation fresh = generations.acquire(s(100), QUIET).generation();
        assertThat(fresh.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 IDLE");
    }

    @Test
    void aRequestStartedLongerThanMaxIdleAgoLeavesTheOriginsOtherPooledConnectionsSuspect() {
        acquire(s(0));
        Generation next = acquire(s(100)).generation();
        assertThat(next.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 IDLE");
    }

    @Test
    void aStaleConnectionRetiresTheCurrentGenerationOnceEvenWhenManyRequestsReportIt() {
        Generation first = acquire(s(0)).generation();
        Generation alsoFirst = acquire(s(0)).generation();
        generations.retire(first, s(1), RotationReason.STALE_CONNECTION);
        generations.retire(alsoFirst, s(1), RotationReason.STALE_CONNECTION);
        assertThat(rotations).containsExactly("1->2 STALE_CONNECTION");
        assertThat(acquire(s(1)).generation().number()).isEqualTo(2);
    }

    @Test
    void aRetiredGenerationFinishesItsRequestsAndIsGoneWhenTheLastEnds() {
        Lease first = acquire(s(0));
        Lease alsoFirst = acquire(s(0));
        generations.retire(first.generation(), s(1), RotationReason.STALE_CONNECTION);
        Generation second = acquire(s(1)).generation();
        assertThat(generations.alive()).isEqualTo(2);

        release(first, s(2));
        assertThat(generations.alive()).isEqualTo(2);
        release(alsoFirst, s(3));
        assertThat(generations.alive()).isEqualTo(1);
        assertThat(generations.currentNumber()).isEqualTo(second.number());
    }

    @Test
    void anIdleRetiredGenerationIsGoneAtOnce() {
        Lease first = acquire(s(0));
        release(first, s(0));
        generations.retire(first.generation(), s(1), RotationReason.STALE_CONNECTION);
        assertThat(generations.alive()).isEqualTo(1);
    }

    @Test
    void closeTakesNoNewRequestButLetsTheOnesInFlightFinish() {
        Lease first = acquire(s(0));
        generations.close();
        assertThat(generations.alive()).isEqualTo(1);
        assertThatThrownBy(() -> acquire(s(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(drained).as("the worker threads outlive the request in flight").isZero();
        release(first, s(2));
        assertThat(generations.alive()).isZero();
        assertThat(drained).as("the last request's end lets the worker threads go, once").isEqualTo(1);
        generations.close();
        assertThat(drained).isEqualTo(1);
    }

    @Test
    void closingAClientWithNothingInFlightLetsItsWorkerThreadsGoAtOnce() {
        release(acquire(s(0)), s(0));
        generations.close();
        assertThat(drained).isEqualTo(1);
    }

    @Test
    void aGenerationYoungerThanASecondIsNotReplacedForAStaleConnectionAndTheListenerHearsIt() {
        Generation first = acquire(s(0)).generation();

        generations.retire(first, s(0.5), RotationReason.STALE_CONNECTION);

        assertThat(rotations).containsExactly("suppressed 1 STALE_CONNECTION");
        assertThat(acquire(s(0.6)).generation()).isSameAs(first);
    }

    @Test
    void aRequestGetsTheConnectionReturnedFirstAndKnowsHowLongItSatIdle() {
        Lease first = acquire(s(0));
        Lease second = acquire(s(0));
        release(first, s(1));
        release(second, s(2));

        assertThat(generations.acquire(s(5), BUSY).idleNanos()).as("FIFO: the one back at 1 s").isEqualTo(s(4));
        assertThat(generations.acquire(s(5), BUSY).idleNanos()).as("then the one back at 2 s").isEqualTo(s(3));
        assertThat(generations.acquire(s(5), BUSY).idleNanos()).as("then a new connection").isEqualTo(-1);
    }

    @Test
    void whileARequestThatClaimedAStaleConnectionIsInFlightAnyRequestMayBeGivenThatConnectionByTheJdk() {
        Lease backEarly = acquire(s(0));
        Lease backLate = acquire(s(0));
        release(backEarly, s(1));
        release(backLate, s(4.5));

        Lease aged = acquire(s(5));
        Lease recent = acquire(s(5));
        Lease beyond = acquire(s(5));

        assertThat(aged.idleNanos()).isEqualTo(s(4));
        assertThat(aged.mayBeStale()).isTrue();
        // The JDK hands pooled connections out in the order requests reach it, not the order they were claimed here:
        // the one idle 4 s may go to either of the others.
        assertThat(recent.idleNanos()).as("claimed: the one back at 4.5 s").isEqualTo(s(0.5));
        assertThat(recent.mayBeStale()).isTrue();
        assertThat(beyond.idleNanos()).as("claimed: a new connection").isEqualTo(-1);
        assertThat(beyond.mayBeStale()).isTrue();
    }

    @Test
    void onceTheRequestThatClaimedAStaleConnectionHasEndedNewAndRecentClaimsAreFreshAgain() {
        Lease old = acquire(s(0));
        release(old, s(1));
        Lease aged = acquire(s(5));
        Lease beside = acquire(s(5));
        assertThat(beside.mayBeStale()).isTrue();

        release(aged, s(5.1));
        Lease recent = acquire(s(5.2));
        Lease fresh = acquire(s(5.2));

        assertThat(recent.idleNanos()).isEqualTo(s(0.1));
        assertThat(recent.mayBeStale()).isFalse();
        assertThat(fresh.idleNanos()).isEqualTo(-1);
        assertThat(fresh.mayBeStale()).isFalse();
    }

    @Test
    void aRequestOnAStaleAgedConnectionThatIsAnsweredLeavesNewClaimsFreshAndIsNotCountedTwiceWhenItEnds() {
        Lease old = acquire(s(0));
        release(old, s(1));
        Lease aged = acquire(s(5));

        generations.connected(aged, HttpClient.Version.HTTP_1_1);
        Lease beside = acquire(s(5.1));
        release(aged, s(6));

        assertThat(beside.mayBeStale()).as("the first has its connection").isFalse();
        Lease againAged = acquire(s(10));
        Lease next = acquire(s(10));
        assertThat(againAged.mayBeStale()).isTrue();
        assertThat(next.mayBeStale()).as("counted once: the second aged claim counts").isTrue();
    }

    @Test
    void overHttp2AnyStreamsHeadersProveTheSharedConnectionAliveForEveryRequestOnIt() {
        Lease first = acquire(s(0));
        generations.release(first, s(1), ConnectionAfter.SHARED);
        Lease aged = acquire(s(5));          // the shared connection sat idle 4 s
        Lease before = acquire(s(5.1));      // may be given it too
        assertThat(aged.mayBeStale()).isTrue();
        assertThat(before.mayBeStale()).isTrue();

        generations.whenConnected(before).accept(HttpClient.Version.HTTP_2);   // the one connection answered
        Lease after = acquire(s(5.2));

        assertThat(after.mayBeStale()).as("started after the connection answered").isFalse();
        assertThat(generations.release(aged, s(6), ConnectionAfter.CLOSED))
                .as("its connection answered since it started").isFalse();
        assertThat(generations.release(before, s(6), ConnectionAfter.CLOSED)).isFalse();
        assertThat(generations.release(after, s(6), ConnectionAfter.CLOSED)).isFalse();
        Lease fresh = acquire(s(6.1));
        assertThat(fresh.mayBeStale()).as("the aged request was counted out once, not twice").isFalse();
    }

    @Test
    void overHttp2ARequestWhoseConnectionNothingAnsweredSinceTheIdleGapMayStillBeStale() {
        Lease first = acquire(s(0));
        generations.release(first, s(1), ConnectionAfter.SHARED);
        Lease aged = acquire(s(5));
        Lease beside = acquire(s(5.1));

        assertThat(generations.release(aged, s(6), ConnectionAfter.CLOSED)).isTrue();
        assertThat(generations.release(beside, s(6), ConnectionAfter.CLOSED)).isTrue();
    }

    @Test
    void overHttp11AnotherRequestsHeadersProveOnlyItsOwnConnectionAlive() {
        Lease old = acquire(s(0));
        release(old, s(1));
        Lease aged = acquire(s(5));
        Lease beside = acquire(s(5.1));

        generations.whenConnected(beside).accept(HttpClient.Version.HTTP_1_1);
        Lease next = acquire(s(5.2));

        assertThat(next.mayBeStale()).as("the aged claim has not connected").isTrue();
        assertThat(generations.release(aged, s(6), ConnectionAfter.CLOSED)).isTrue();
    }

    @Test
    void anHttp2AnswerToAnOriginThatAlsoUsesHttp11ConnectionsProvesNoneOfThoseAlive() {
        Lease old = acquire(s(0));
        release(old, s(1));                 // an HTTP/1.1 connection back in the pool
        Lease aged = acquire(s(5));         // claims it, idle 4 s
        Lease h2 = acquire(s(5.05));
        generations.release(h2, s(5.06), ConnectionAfter.SHARED);   // the origin's last answer came over HTTP/2
        Lease beside = acquire(s(5.1));

        generations.whenConnected(beside).accept(HttpClient.Version.HTTP_2);   // the HTTP/2 connection answered
        Lease next = acquire(s(5.2));

        assertThat(next.mayBeStale()).as("the HTTP/1.1 claim has not connected").isTrue();
        assertThat(generations.release(aged, s(6), ConnectionAfter.CLOSED)).isTrue();
    }

    @Test
    void aConnectionClosedByItsResponseOrItsFailureIsNotCountedIdle() {
        Lease first = acquire(s(0));
        generations.release(first, s(1), ConnectionAfter.CLOSED);

        assertThat(generations.acquire(s(5), BUSY).idleNanos()).isEqualTo(-1);
    }

    @Test
    void anHttp2OriginSharesOneConnectionBusyWhileAnyRequestIsInFlight() {
        Lease first = acquire(s(0));
        generations.release(first, s(1), ConnectionAfter.SHARED);

        Lease alone = generations.acquire(s(4), BUSY);
        Lease beside = generations.acquire(s(4.5), BUSY);

        assertThat(alone.idleNanos()).as("idle since the last exchange ended").isEqualTo(s(3));
        assertThat(beside.idleNanos()).as("shared with one in flight").isZero();
    }
}
