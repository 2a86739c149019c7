package dev.resilienthttp.faults.internal.toxic;

import java.util.concurrent.TimeUnit;

/**
 * Waits for the first chunk (or the end), drops it and everything after it, waits
 * {@code timeout} ms and ends the link. The RST itself comes from SO_LINGER=0, which the
 * connection sets at accept time when a reset_peer toxic is in either chain.
 */
final class ResetPeerStage implements Stage {
    private long timeoutMs;

    @Override
    public void start(ToxicSpec spec, long now) {
        timeoutMs = spec.attribute("timeout");
    }

    @Override
    public void accept(Chunk chunk, Emitter next, LinkControl link) {
        // Go cannot interrupt this sleep either: a chain change waits for the reset.
        link.sleepUninterruptibly(link.now() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs)));
        link.end();
    }
}
