package dev.resilienthttp.faults.internal.toxic;

import java.util.Random;

/** What a stage may ask of the link it runs in. All times are {@link System#nanoTime()} values. */
public interface LinkControl {
    long now();

    /**
     * Waits until {@code deadline}. Returns false when cut short, because the chain changed
     * (Toxiproxy interrupts stages then, and a delaying stage forwards what it holds at once)
     * or because the connection closed.
     */
    boolean sleepUntil(long deadline);

    /** Waits until {@code deadline}; only a closing connection cuts it short (reset_peer's sleep). */
    void sleepUninterruptibly(long deadline);

    /** Ends the link once the current stage call returns: later chunks are dropped, the destination closed. */
    void end();

    boolean ended();

    Random random();
}
