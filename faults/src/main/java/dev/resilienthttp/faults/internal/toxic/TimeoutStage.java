package dev.resilienthttp.faults.internal.toxic;

import java.util.concurrent.TimeUnit;

/**
 * Drops all data; closes the link once no chunk has arrived for {@code timeout} ms (the timer is
 * re-armed by every chunk and by every start or update, as in Go), never by itself when the
 * timeout is 0 or negative. Removing the toxic closes the link too: Go's clean-up step.
 */
final class TimeoutStage implements Stage {
    private long timeoutNanos;
    private long deadline = NEVER;

    @Override
    public void start(ToxicSpec spec, long now) {
        timeoutNanos = TimeUnit.MILLISECONDS.toNanos(spec.attribute("timeout"));
        arm(now);
    }

    @Override
    public void accept(Chunk chunk, Emitter next, LinkControl link) {
        if (chunk.isEnd()) {
            link.end();
            return;
        }
        arm(link.now());
    }

    @Override
    public long wakeAt() {
        return deadline;
    }

    @Override
    public void wake(long now, LinkControl link) {
        if (now - deadline >= 0) {
            link.end();
        }
    }

    @Override
    public void removed(LinkControl link) {
        link.end();
    }

    private void arm(long now) {
        deadline = timeoutNanos > 0 ? now + timeoutNanos : NEVER;
    }
}
