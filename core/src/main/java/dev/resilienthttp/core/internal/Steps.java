package dev.resilienthttp.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Where a step of an asynchronous call runs when another thread sets it off (the JDK ending an attempt, the retry
 * timer ending a wait, the deadline watchdog cancelling an exchange): on that thread if it may block, else on the
 * client's worker threads. A step tells the listener, runs the policy and may end in the caller's stages, all of
 * which may block; none of it may run on a thread that serves every call ({@link JdkExecutor#mustNotBlock}: the
 * JDK's selector thread, the JVM's common pool, the library's timer and watchdog).
 *
 * <p>A client given an executor of the user's ({@code ResilientHttpClientBuilder.executor}) has no worker threads:
 * its steps run where they are set off, as before that executor existed.
 */
public final class Steps implements Executor {
    private final Executor workers;

    /** @param workers the client's worker threads, or {@code null} when it has none */
    public Steps(Executor workers) {
        this.workers = workers;
    }

    /** Runs {@code step} here if this thread may block, else on a worker thread. */
    @Override
    public void execute(Runnable step) {
        if (workers != null && JdkExecutor.mustNotBlock()) {
            workers.execute(step);
        } else {
            step.run();
        }
    }

    /**
     * Runs {@code task} on another thread that may block: a worker, or without workers the JVM's default async
     * pool. For what must not run on the thread that asks, whatever thread that is: a cancel the deadline watchdog
     * makes, which completes the exchange and sets off the steps that follow.
     */
    public void elsewhere(Runnable task) {
        if (workers != null) {
            workers.execute(task);
        } else {
            CompletableFuture.runAsync(task);
        }
    }
}
