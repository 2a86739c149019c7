package dev.resilienthttp.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling for fault tests: waits until a condition that becomes true on another thread holds, or fails
 * after the bound saying what it waited for and what it saw. Never a bare sleep followed by an assertion: a test that
 * waits this way ends as soon as the condition holds and never waits without a bound.
 *
 * <pre>{@code
 * Await.until("the server sees the connection closed", Duration.ofSeconds(10), () -> server.openConnections() == 0);
 * }</pre>
 */
public final class Await {
    /** How often the condition is looked at. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Await() {
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @throws AssertionError            naming {@code what}, if it does not hold within {@code bound}
     * @throws InterruptedException      if the waiting thread is interrupted
     */
    public static void until(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        until(what, bound, condition, () -> "");
    }

    /**
     * Waits until {@code condition} holds; on failure the message also carries {@code state}, read then.
     *
     * @throws AssertionError            naming {@code what} and the state, if it does not hold within {@code bound}
     * @throws InterruptedException      if the waiting thread is interrupted
     */
    public static void until(String what, Duration bound, BooleanSupplier condition, Supplier<?> state)
            throws InterruptedException {
        Objects.requireNonNull(what, "what");
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                Object seen = state.get();
                throw new AssertionError("not within " + bound + ": " + what
                        + (seen == null || seen.toString().isEmpty() ? "" : " (" + seen + ")"));
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting until " + what);
            }
        }
    }
}
