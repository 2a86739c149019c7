package dev.resilienthttp.faults.internal.toxic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** limit_data on a fake link (spec §5.3 T11). */
class LimitDataStageTest {
    private final List<Integer> forwarded = new ArrayList<>();
    private final FakeLink link = new FakeLink();
    private final LimitDataStage stage = new LimitDataStage();

    @Test
    void belowTheLimitEverythingPasses() {
        start(100);
        send(25, 25, 25);

        assertThat(forwarded).containsExactly(25, 25, 25);
        assertThat(link.ended).isFalse();
    }

    @Test
    void exactlyAtTheLimitEverythingPassesThenTheLinkEnds() {
        start(100);
        send(25, 25, 25, 25);

        assertThat(forwarded).containsExactly(25, 25, 25, 25);
        assertThat(link.ended).isTrue();
    }

    @Test
    void theChunkThatCrossesTheLimitIsCut() {
        start(100);
        send(90, 20);

        assertThat(forwarded).containsExactly(90, 10);
        assertThat(link.ended).isTrue();
    }

    @Test
    void theCountSurvivesAnUpdate() {
        start(100);
        send(90);
        start(100);
        send(20);

        assertThat(forwarded).containsExactly(90, 10);
    }

    @Test
    void limitZeroForwardsNothingAndEndsOnTheFirstChunk() {
        start(0);
        assertThat(link.ended).isFalse();

        send(5);

        assertThat(forwarded).isEmpty();
        assertThat(link.ended).isTrue();
    }

    private void start(long bytes) {
        stage.start(new ToxicSpec("l", ToxicType.LIMIT_DATA, "downstream", Direction.DOWNSTREAM, 1f,
                Map.of("bytes", bytes)), 0);
    }

    private void send(int... sizes) {
        for (int size : sizes) {
            if (!link.ended) {
                stage.accept(Chunk.of(new byte[size], 0), c -> forwarded.add(c.length()), link);
            }
        }
    }

    private static final class FakeLink implements LinkControl {
        boolean ended;

        @Override
        public long now() {
            return 0;
        }

        @Override
        public boolean sleepUntil(long deadline) {
            return true;
        }

        @Override
        public void sleepUninterruptibly(long deadline) {
        }

        @Override
        public void end() {
            ended = true;
        }

        @Override
        public boolean ended() {
            return ended;
        }

        @Override
        public Random random() {
            return new Random(0);
        }
    }
}
