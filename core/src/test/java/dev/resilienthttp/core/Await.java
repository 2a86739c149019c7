package dev.resilienthttp.core;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: waits until a condition holds, or fails after the bound. Never a bare sleep. */
final class Await {
    private Await() {
    }

    /** Polls {@code condition} every 50 ms, running {@code nudge} before each poll, until it holds or time is up. */
    static void until(String what, Duration bound, Runnable nudge, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        Object monitor = new Object();
        while (true) {
            nudge.run();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            synchronized (monitor) {
                monitor.wait(50);
            }
        }
    }
}
