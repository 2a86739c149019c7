package dev.resilienthttp.faults.internal.toxic;

import java.util.concurrent.TimeUnit;

/** Passes data unchanged but delays the end of stream by {@code delay} ms. */
final class SlowCloseStage implements Stage {
    private long delayMs;

    @Override
    public void start(ToxicSpec spec, long now) {
        delayMs = spec.attribute("delay");
    }

    @Override
    public void accept(Chunk chunk, Emitter next, LinkControl link) {
        if (chunk.isEnd() && delayMs > 0) {
            link.sleepUntil(link.now() + TimeUnit.MILLISECONDS.toNanos(delayMs));
        }
        next.emit(chunk);
    }
}
