package dev.resilienthttp.kafka.internal;

/**
 * Spaces actions evenly at a rate: each {@link #acquire()} returns at the earliest one interval after the previous
 * one, the first at once. No burst: a redrive must not flood a source topic's consumers after a long pause.
 */
final class Pacer {
    private final long intervalNanos;
    private long nextNanos;
    private boolean started;

    /** @param perSecond actions per second, more than 0 */
    Pacer(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of records per second, was "
                    + perSecond);
        }
        this.intervalNanos = (long) Math.max(1, 1_000_000_000L / perSecond);
    }

    /** Blocks until the next action may run. */
    void acquire() throws InterruptedException {
        long now = System.nanoTime();
        if (!started) {
            started = true;
            nextNanos = now + intervalNanos;
            return;
        }
        long wait = nextNanos - now;
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
        nextNanos = Math.max(nextNanos, now) + intervalNanos;
    }
}
