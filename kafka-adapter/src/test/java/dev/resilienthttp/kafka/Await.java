package dev.resilienthttp.kafka;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling: waits until a condition holds, or fails after the bound saying what it saw. Never a bare sleep. */
final class Await {
    private Await() {
    }

    static void until(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        until(what, bound, condition, () -> "");
    }

    /** Polls every 20 ms; on timeout the failure message includes {@code state}. */
    static void until(String what, Duration bound, BooleanSupplier condition, Supplier<Object> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound + ": " + what + " " + state.get());
            }
            synchronized (monitor) {
                monitor.wait(20);
            }
        }
    }
}
