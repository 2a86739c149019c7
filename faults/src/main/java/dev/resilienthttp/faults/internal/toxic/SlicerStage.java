package dev.resilienthttp.faults.internal.toxic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cuts each chunk into pieces of about {@code average_size} bytes (± {@code size_variation}) by
 * halving, as Go does, and waits {@code delay} microseconds after each piece. The API refuses
 * {@code average_size < 1} and {@code size_variation >= average_size}, which never terminate in Go.
 */
final class SlicerStage implements Stage {
    private int averageSize;
    private int sizeVariation;
    private long delayMicros;

    @Override
    public void start(ToxicSpec spec, long now) {
        averageSize = (int) Math.min(Integer.MAX_VALUE, spec.attribute("average_size"));
        sizeVariation = (int) Math.min(Integer.MAX_VALUE, spec.attribute("size_variation"));
        delayMicros = spec.attribute("delay");
    }

    @Override
    public void accept(Chunk chunk, Emitter next, LinkControl link) {
        if (chunk.isEnd()) {
            next.emit(chunk);
            return;
        }
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        cut(0, chunk.length(), link.random(), cuts);
        for (int i = 1; i < cuts.size(); i++) {
            next.emit(chunk.slice(cuts.get(i - 1), cuts.get(i)));
            if (!link.sleepUntil(link.now() + TimeUnit.MICROSECONDS.toNanos(Math.max(0, delayMicros)))) {
                if (cuts.get(i) < chunk.length()) {
                    next.emit(chunk.slice(cuts.get(i), chunk.length()));
                }
                return;
            }
        }
    }

    /** Appends the end offsets of the pieces of [start, end) to {@code cuts}. */
    void cut(int start, int end, Random random, List<Integer> cuts) {
        if ((end - start) - averageSize <= sizeVariation) {
            cuts.add(end);
            return;
        }
        int mid = start + (end - start) / 2;
        if (sizeVariation > 0) {
            mid += random.nextInt(sizeVariation * 2) - sizeVariation;
        }
        cut(start, mid, random, cuts);
        cut(mid, end, random, cuts);
    }
}
