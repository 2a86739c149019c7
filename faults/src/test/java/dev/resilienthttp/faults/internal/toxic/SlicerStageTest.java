package dev.resilienthttp.faults.internal.toxic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlicerStageTest {
    @Test
    void averageOneWithoutVariationCutsOneBytePieces() {
        List<Integer> cuts = cuts(1, 0, 24);

        assertThat(cuts).hasSize(25);
        for (int i = 1; i < cuts.size(); i++) {
            assertThat(cuts.get(i) - cuts.get(i - 1)).isEqualTo(1);
        }
    }

    @Test
    void piecesCoverTheChunkInOrderAndStayNearTheAverage() {
        List<Integer> cuts = cuts(1024, 512, 480_000);

        assertThat(cuts.get(0)).isZero();
        assertThat(cuts.get(cuts.size() - 1)).isEqualTo(480_000);
        assertThat(cuts.size() - 1).isBetween(240, 720);
        for (int i = 1; i < cuts.size(); i++) {
            assertThat(cuts.get(i) - cuts.get(i - 1)).isBetween(1, 1024 + 512);
        }
    }

    private static List<Integer> cuts(long average, long variation, int length) {
        SlicerStage stage = new SlicerStage();
        stage.start(new ToxicSpec("s", ToxicType.SLICER, "downstream", Direction.DOWNSTREAM, 1f,
                Map.of("average_size", average, "size_variation", variation, "delay", 0L)), 0);
        List<Integer> cuts = new ArrayList<>(List.of(0));
        stage.cut(0, length, new Random(3), cuts);
        return cuts;
    }
}
