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
    private final Generations generations = new Generations(InertHttpClient::new, MAX_AGE, MAX_IDLE,
            (retired, current, reason) -> rotations.add(retired.number() + "->" + current.number() + " " + reason));

    private static final String BUSY = Origin.of(URI.create("https://busy.example.org/a")).key();
    private static final String QUIET = Origin.of(URI.create("https://quiet.example.org/b")).key();

    private Generation acquire(long now) {
        return generations.acquire(now, BUSY);
    }

    private void release(Generation generation, long now) {
        generations.release(generation, now, BUSY);
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
        Generation first = generations.acquire(s(0), QUIET);
        generations.release(first, s(1), QUIET);
        for (int second = 10; second <= 60; second += 10) {
            release(acquire(s(second)), s(second));
        }
        assertThat(generations.acquire(s(50), QUIET)).isSameAs(first);
        generations.release(first, s(50), QUIET);
        Generation fresh = generations.acquire(s(100), QUIET);
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
        release(first, s(2));
        assertThat(generations.alive()).isZero();
        generations.close();
    }
}
