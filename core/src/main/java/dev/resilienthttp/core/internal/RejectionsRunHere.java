package dev.resilienthttp.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An executor of the user's as the JDK client is given it: a task it rejects (a bounded queue full in a burst) does not
 * reach the JDK, which takes a rejection as its executor's failure: on JDK 25 it closes the client's selector, and
 * every later call on that JDK client fails at once until the generation is replaced; on 17 the calls in flight hang.
 * Rejected on the JDK's selector thread, which serves every connection of the client and may run none of the caller's
 * code, the task goes to the JVM's default asynchronous pool, as JDK 25 sends the tasks it cannot hand over; rejected
 * anywhere else (a {@code sendAsync}'s start, on the caller's thread), it runs there, as
 * {@code ThreadPoolExecutor.CallerRunsPolicy} would, which slows the burst that filled the queue.
 */
public final class RejectionsRunHere implements Executor {
    private final Executor executor;

    /** {@code executor}, whose rejected tasks run as above. */
    public RejectionsRunHere(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException rejected) {
            if (JdkExecutor.onSelectorThread()) {
                CompletableFuture.runAsync(task);
            } else {
                task.run();
            }
        }
    }
}
