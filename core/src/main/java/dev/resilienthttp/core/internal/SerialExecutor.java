package dev.resilienthttp.core.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs its tasks one at a time, in the order given, on another executor's threads: what a reactive-streams
 * subscriber or subscription needs when its signals are moved off the thread that makes them (its signals must
 * never overlap, and must arrive in order). One per body, for as long as the body flows.
 */
public final class SerialExecutor implements Executor {
    private final Executor threads;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Tasks given and not yet run; the one whose {@code execute} raised it from 0 starts the drain. */
    private final AtomicInteger pending = new AtomicInteger();

    public SerialExecutor(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            threads.execute(this::drain);
        }
    }

    private void drain() {
        do {
            Runnable task = tasks.poll();
            try {
                task.run();
            } catch (Throwable e) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, e);
            }
        } while (pending.decrementAndGet() != 0);
    }
}
