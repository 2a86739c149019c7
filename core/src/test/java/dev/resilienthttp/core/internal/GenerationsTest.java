package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.RotationReason;
import org.junit.jupiter.api.Test;

import java.net.URI;
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

    private Generation acquire(long now) {
        return generations.acquire(now, BUSY).generation();
    }

    private void release(Generation generation, long now) {
        generations.release(generation, now, BUSY, ConnectionAfter.POOLED);
    }

    private static long s(double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }

    @Test
    void firstRequestCreatesTheFirstGenerationAndBuildingCreatesNone() {
        assertThat(generations.alive()).isZero();
        Generation first = acquire(s(0));
        assertThat(first.number()).isEqualTo(1);
        assertThat(generations.alive()).isEqualTo(1);
        assertThat(rotations).isEmpty();
    }

    @Test
    void aGenerationServesRequestsUntilItsMaxAgeThenTheNextRequestGetsAFreshOne() {
        Generation first = acquire(s(0));
        release(first, s(0.1));
        for (int second = 40; second < 240; second += 40) {
            Generation same = acquire(s(second));
            assertThat(same).isSameAs(first);
            release(same, s(second + 0.1));
        }
        Generation fresh = acquire(s(240));
        assertThat(fresh.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 MAX_AGE");
    }

    @Test
    void aGenerationIdleForMaxIdleIsReplacedButOneUsedJustBeforeIsNot() {
        Generation first = acquire(s(0));
        release(first, s(1));
        assertThat(acquire(s(50.9))).isSameAs(first);
        release(first, s(51));
        Generation fresh = acquire(s(101));
        assertThat(fresh.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 IDLE");
    }

    @Test
    void anOriginQuietForMaxIdleGetsAFreshGenerationEvenWhileAnotherOriginKeepsItBusy() {
        Generation first = generations.acquire(s(0), QUIET).generation();
        generations.release(first, s(1), QUIET, ConnectionAfter.POOLED);
        for (int second = 10; second <= 60; second += 10) {
            release(acquire(s(second)), s(second));
        }
        assertThat(generations.acquire(s(50), QUIET).generation()).isSameAs(first);
        generations.release(first, s(50), QUIET, ConnectionAfter.POOLED);
        Generation fresh = generations.acquire(s(100), QUIET).generation();
        assertThat(fresh.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 IDLE");
    }

    @Test
    void aRequestStartedLongerThanMaxIdleAgoLeavesTheOriginsOtherPooledConnectionsSuspect() {
        Generation first = acquire(s(0));
        Generation next = acquire(s(100));
        assertThat(next.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 IDLE");
    }

    @Test
    void aStaleConnectionRetiresTheCurrentGenerationOnceEvenWhenManyRequestsReportIt() {
        Generation first = acquire(s(0));
        Generation alsoFirst = acquire(s(0));
        generations.retire(first, s(1), RotationReason.STALE_CONNECTION);
        generations.retire(alsoFirst, s(1), RotationReason.STALE_CONNECTION);
        assertThat(rotations).containsExactly("1->2 STALE_CONNECTION");
        assertThat(acquire(s(1)).number()).isEqualTo(2);
    }

    @Test
    void aRetiredGenerationFinishesItsRequestsAndIsGoneWhenTheLastEnds() {
        Generation first = acquire(s(0));
        acquire(s(0));
        generations.retire(first, s(1), RotationReason.STALE_CONNECTION);
        Generation second = acquire(s(1));
        assertThat(generations.alive()).isEqualTo(2);

        release(first, s(2));
        assertThat(generations.alive()).isEqualTo(2);
        release(first, s(3));
        assertThat(generations.alive()).isEqualTo(1);
        assertThat(generations.currentNumber()).isEqualTo(second.number());
    }

    @Test
    void anIdleRetiredGenerationIsGoneAtOnce() {
        Generation first = acquire(s(0));
        release(first, s(0));
        generations.retire(first, s(1), RotationReason.STALE_CONNECTION);
        assertThat(generations.alive()).isEqualTo(1);
    }

    @Test
    void closeTakesNoNewRequestButLetsTheOnesInFlightFinish() {
        Generation first = acquire(s(0));
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
        Generation first = acquire(s(0));

        generations.retire(first, s(0.5), RotationReason.STALE_CONNECTION);

        assertThat(rotations).containsExactly("suppressed 1 STALE_CONNECTION");
        assertThat(acquire(s(0.6))).isSameAs(first);
    }

    @Test
    void aRequestGetsTheConnectionReturnedFirstAndKnowsHowLongItSatIdle() {
        Generation first = acquire(s(0));
        Generation second = acquire(s(0));
        release(first, s(1));
        release(second, s(2));

        assertThat(generations.acquire(s(5), BUSY).idleNanos()).as("FIFO: the one back at 1 s").isEqualTo(s(4));
        assertThat(generations.acquire(s(5), BUSY).idleNanos()).as("then the one back at 2 s").isEqualTo(s(3));
        assertThat(generations.acquire(s(5), BUSY).idleNanos()).as("then a new connection").isEqualTo(-1);
    }

    @Test
    void aConnectionClosedByItsResponseOrItsFailureIsNotCountedIdle() {
        Generation first = acquire(s(0));
        generations.release(first, s(1), BUSY, ConnectionAfter.CLOSED);

        assertThat(generations.acquire(s(5), BUSY).idleNanos()).isEqualTo(-1);
    }

    @Test
    void anHttp2OriginSharesOneConnectionBusyWhileAnyRequestIsInFlight() {
        Generation first = acquire(s(0));
        generations.release(first, s(1), BUSY, ConnectionAfter.SHARED);

        Lease alone = generations.acquire(s(4), BUSY);
        Lease beside = generations.acquire(s(4.5), BUSY);

        assertThat(alone.idleNanos()).as("idle since the last exchange ended").isEqualTo(s(3));
        assertThat(beside.idleNanos()).as("shared with one in flight").isZero();
    }
}
