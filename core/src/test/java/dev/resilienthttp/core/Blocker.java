package dev.resilienthttp.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What careless user code does: waits, on whatever thread called it, until the test releases it. It blocks the first
 * time it is called only, for at most {@code cap} (so that a client it stalls is stalled no longer), and says on
 * which thread it blocked.
 */
final class Blocker {
    private final Duration cap;
    private final AtomicBoolean used = new AtomicBoolean();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String thread = "(not blocked yet)";
    private volatile boolean blocking;
    private volatile boolean outlivedCap;

    Blocker(Duration cap) {
        this.cap = cap;
    }

    /** Called from the user code: blocks until {@link #release}, or {@code cap}, the first time; returns at once later. */
    void block() {
        if (!used.compareAndSet(false, true)) {
            return;
        }
        thread = Thread.currentThread().getName();
        blocking = true;
        entered.countDown();
        try {
            outlivedCap = !released.await(cap.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            blocking = false;
        }
    }

    /**
     * Waits until the user code is blocking.
     *
     * @throws AssertionError if it did not start blocking within {@code bound}
     */
    void awaitBlocking(Duration bound) throws InterruptedException {
        if (!entered.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("the user code did not start blocking within " + bound);
        }
    }

    /** Whether the user code is blocking now: it started and was neither released nor gave up at its cap. */
    boolean blocking() {
        return blocking;
    }

    /** Whether it stopped blocking because its cap passed, not because the test released it. */
    boolean outlivedCap() {
        return outlivedCap;
    }

    /** The name of the thread the user code blocked. */
    String thread() {
        return thread;
    }

    /** Lets the user code go on; idempotent. */
    void release() {
        released.countDown();
    }
}
