package dev.resilienthttp.faults.internal.toxic;

import java.util.concurrent.TimeUnit;

/**
 * Delivers each chunk at its stamp + latency (± jitter). Waiting for an absolute time, not for a
 * duration, is what lets chunks queued behind this one overlap their delays, so latency does not
 * cap throughput; moving the stamp forward is what makes two latency toxics add up.
 */
final class LatencyStage implements Stage {
    private long latencyMs;
    private long jitterMs;

    @Override
    public void start(ToxicSpec spec, long now) {
        latencyMs = spec.attribute("latency");
        jitterMs = spec.attribute("jitter");
    }

    @Override
    public void accept(Chunk chunk, Emitter next, LinkControl link) {
        if (chunk.isEnd()) {
            next.emit(chunk);
            return;
        }
        long delayMs = latencyMs;
        if (jitterMs > 0) {
            delayMs += link.random().nextInt((int) Math.min(Integer.MAX_VALUE, jitterMs * 2)) - jitterMs;
        }
        long due = chunk.stamp() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMs));
        if (link.sleepUntil(due)) {
            next.emit(chunk.withStamp(due));
        } else {
            next.emit(chunk);
        }
    }
}
