package dev.resilienthttp.faults.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilienthttp.faults.internal.toxic.Direction;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import dev.resilienthttp.faults.internal.toxic.ToxicType;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** idle_reset's decision on a virtual clock. */
class IdleWatchTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final ToxicSpec IDLE_100 = new ToxicSpec("nat", ToxicType.IDLE_RESET, "upstream",
            Direction.UPSTREAM, 1f, Map.of("idle_ms", 100L));

    private final AtomicReference<List<ToxicSpec>> toxics = new AtomicReference<>(List.of(IDLE_100));
    private final IdleWatch watch = new IdleWatch(toxics::get, new Random(1), 0);

    @Test
    void trafficInEitherDirectionKeepsTheConnectionRemembered() {
        assertThat(watch.onBytes(Direction.UPSTREAM, 90 * MS)).isEqualTo(IdleWatch.Verdict.PASS);
        assertThat(watch.onBytes(Direction.DOWNSTREAM, 180 * MS)).isEqualTo(IdleWatch.Verdict.PASS);
        assertThat(watch.onBytes(Direction.UPSTREAM, 270 * MS)).isEqualTo(IdleWatch.Verdict.PASS);
    }

    @Test
    void clientBytesAfterTheIdleTimeAreReset() {
        assertThat(watch.onBytes(Direction.UPSTREAM, 101 * MS)).isEqualTo(IdleWatch.Verdict.RESET);
    }

    @Test
    void serverBytesAfterTheIdleTimeAreDroppedAndTheClientIsResetNext() {
        assertThat(watch.onBytes(Direction.DOWNSTREAM, 150 * MS)).isEqualTo(IdleWatch.Verdict.DROP);
        assertThat(watch.onBytes(Direction.UPSTREAM, 151 * MS)).isEqualTo(IdleWatch.Verdict.RESET);
    }

    @Test
    void withoutTheToxicNothingIsForgotten() {
        toxics.set(List.of());

        assertThat(watch.onBytes(Direction.UPSTREAM, 10_000 * MS)).isEqualTo(IdleWatch.Verdict.PASS);
    }

    @Test
    void toxicityZeroNeverForgets() {
        toxics.set(List.of(IDLE_100.withToxicity(0f)));

        assertThat(watch.onBytes(Direction.UPSTREAM, 10_000 * MS)).isEqualTo(IdleWatch.Verdict.PASS);
    }
}
