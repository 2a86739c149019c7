package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.RotationReason;
import org.junit.jupiter.api.Test;

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

    private static long s(double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }

    @Test
    void firstRequestCreatesTheFirstGenerationAndBuildingCreatesNone() {
        assertThat(generations.alive()).isZero();
        Generation first = generations.acquire(s(0));
        assertThat(first.number()).isEqualTo(1);
        assertThat(generations.alive()).isEqualTo(1);
        assertThat(rotations).isEmpty();
    }

    @Test
    void aGenerationServesRequestsUntilItsMaxAgeThenTheNextRequestGetsAFreshOne() {
        Generation first = generations.acquire(s(0));
        generations.release(first, s(0.1));
        for (int second = 40; second < 240; second += 40) {
            Generation same = generations.acquire(s(second));
            assertThat(same).isSameAs(first);
            generations.release(same, s(second + 0.1));
        }
        Generation fresh = generations.acquire(s(240));
        assertThat(fresh.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 MAX_AGE");
    }

    @Test
    void aGenerationIdleForMaxIdleIsReplacedButOneUsedJustBeforeIsNot() {
        Generation first = generations.acquire(s(0));
        generations.release(first, s(1));
        assertThat(generations.acquire(s(50.9))).isSameAs(first);
        generations.release(first, s(51));
        Generation fresh = generations.acquire(s(101));
        assertThat(fresh.number()).isEqualTo(2);
        assertThat(rotations).containsExactly("1->2 IDLE");
    }

    @Test
    void aGenerationWithARequestInFlightIsNotIdle() {
        Generation first = generations.acquire(s(0));
        Generation second = generations.acquire(s(100));
        assertThat(second).isSameAs(first);
        assertThat(rotations).isEmpty();
    }

    @Test
    void aStaleConnectionRetiresTheCurrentGenerationOnceEvenWhenManyRequestsReportIt() {
        Generation first = generations.acquire(s(0));
        Generation alsoFirst = generations.acquire(s(0));
        generations.retire(first, s(1), RotationReason.STALE_CONNECTION);
        generations.retire(alsoFirst, s(1), RotationReason.STALE_CONNECTION);
        assertThat(rotations).containsExactly("1->2 STALE_CONNECTION");
        assertThat(generations.acquire(s(1)).number()).isEqualTo(2);
    }

    @Test
    void aRetiredGenerationFinishesItsRequestsAndIsGoneWhenTheLastEnds() {
        Generation first = generations.acquire(s(0));
        generations.acquire(s(0));
        generations.retire(first, s(1), RotationReason.STALE_CONNECTION);
        Generation second = generations.acquire(s(1));
        assertThat(generations.alive()).isEqualTo(2);

        generations.release(first, s(2));
        assertThat(generations.alive()).isEqualTo(2);
        generations.release(first, s(3));
        assertThat(generations.alive()).isEqualTo(1);
        assertThat(generations.currentNumber()).isEqualTo(second.number());
    }

    @Test
    void anIdleRetiredGenerationIsGoneAtOnce() {
        Generation first = generations.acquire(s(0));
        generations.release(first, s(0));
        generations.retire(first, s(1), RotationReason.STALE_CONNECTION);
        assertThat(generations.alive()).isEqualTo(1);
    }

    @Test
    void closeTakesNoNewRequestButLetsTheOnesInFlightFinish() {
        Generation first = generations.acquire(s(0));
        generations.close();
        assertThat(generations.alive()).isEqualTo(1);
        assertThatThrownBy(() -> generations.acquire(s(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        generations.release(first, s(2));
        assertThat(generations.alive()).isZero();
        generations.close();
    }
}
