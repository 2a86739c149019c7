package dev.resilienthttp.faults.internal.toxic;

import java.util.concurrent.TimeUnit;

/**
 * Limits one direction of one connection to {@code rate} KB/s (1 KB = 1000 B) with a sleep debt
 * that carries over between chunks, slicing big chunks into 100 ms worth of bytes. A rate of 0
 * holds data until the toxic changes (Toxiproxy's quirk: a stall, not "unlimited").
 */
final class BandwidthStage implements Stage {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private long rate;
    private long debtNanos;

    @Override
    public void start(ToxicSpec spec, long now) {
        rate = spec.attribute("rate");
    }

    @Override
    public void accept(Chunk chunk, Emitter next, LinkControl link) {
        if (chunk.isEnd()) {
            next.emit(chunk);
            return;
        }
        if (rate <= 0) {
            link.sleepUntil(NEVER);
            next.emit(chunk);
            return;
        }
        // rate KB/s is rate bytes per millisecond.
        debtNanos += chunk.length() * 1_000_000L / rate;
        long sliceBytes = rate * 100;
        int from = 0;
        while (chunk.length() - from > sliceBytes) {
            if (!link.sleepUntil(link.now() + SLICE_NANOS)) {
                next.emit(chunk.slice(from, chunk.length()));
                return;
            }
            next.emit(chunk.slice(from, (int) (from + sliceBytes)));
            from += (int) sliceBytes;
            debtNanos -= SLICE_NANOS;
        }
        Chunk rest = from == 0 ? chunk : chunk.slice(from, chunk.length());
        long start = link.now();
        if (debtNanos > 0 && link.sleepUntil(start + debtNanos)) {
            debtNanos -= link.now() - start;
        }
        next.emit(rest);
    }
}
