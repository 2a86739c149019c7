package dev.resilienthttp.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * Where a step of an asynchronous call runs when another thread sets it off (the JDK ending an attempt, the retry
 * timer ending a wait, the deadline watchdog cancelling an exchange): on that thread if it may block, else on the
 * client's worker threads. A step tells the listener, runs the policy and may end in the caller's stages, all of
 * which may block; none of it may run on a thread that serves every call ({@link JdkExecutor#mustNotBlock}: the
 * JDK's selector thread, the JVM's common pool, the library's timer and watchdog, and a cancel on the client's
 * threads for the JDK's work).
 *
 * <p>The worker threads are bounded ({@code Defaults.WORKER_THREADS}): with that many steps blocked in the caller's
 * code at once, the next step of any call waits for one to come free, or for a spare thread the pool starts when
 * its queue has not moved for a while ({@link WorkerPool}). Deadlines still cancel their exchanges on time
 * meanwhile ({@link #cancel}), so no connection outlives its deadline.
 *
 * <p>A client given an executor of the user's ({@code ResilientHttpClientBuilder.executor}) has no worker threads:
 * its steps run where they are set off, as before that executor existed.
 */
public final class Steps implements Executor {
    private final Executor workers;
    private final Executor jdkWork;

    /**
     * @param workers the client's worker threads for the caller's code, or {@code null} when it has none
     * @param jdkWork the client's threads for the JDK's own work, or {@code null} when it has none
     */
    public Steps(Executor workers, Executor jdkWork) {
        this.workers = workers;
        this.jdkWork = jdkWork;
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
     * Runs {@code step} on a worker thread, whatever thread asks: for a step a policy's own timer set off, whose
     * threads may serve every call without this library knowing them (a scheduler of the user's).
     */
    public void offload(Runnable step) {
        if (workers != null) {
            workers.execute(step);
        } else {
            step.run();
        }
    }

    /**
     * Cancels {@code exchange} on another thread than the one that asks (the deadline watchdog, which keeps every
     * other deadline): on the client's threads for the JDK's work, never held by the caller's code, so that the
     * cancel and the connection's close happen on time even when every worker is blocked. The step the cancel sets
     * off moves to a worker ({@link JdkExecutor#runAsJdkTask}). Without the client's threads, on the JVM's default
     * async pool.
     */
    public void cancel(Future<?> exchange) {
        if (jdkWork != null) {
            jdkWork.execute(() -> JdkExecutor.runAsJdkTask(() -> exchange.cancel(true)));
        } else {
            CompletableFuture.runAsync(() -> exchange.cancel(true));
        }
    }
}
