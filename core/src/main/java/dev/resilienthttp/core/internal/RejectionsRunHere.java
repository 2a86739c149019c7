package dev.resilienthttp.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An executor of the user's as the JDK client is given it: a task it rejects (a bounded queue full in a burst) runs on
 * the thread that handed it over, as {@code ThreadPoolExecutor.CallerRunsPolicy} would, instead of reaching the JDK.
 * The JDK takes a rejection as its executor's failure: on JDK 25 it closes the client's selector, and every later
 * call on that JDK client fails at once until the generation is replaced; on 17 the calls in flight hang or fail with
 * the raw exception. Running the task here slows the burst that filled the queue, which is what a bounded queue asks.
 */
public final class RejectionsRunHere implements Executor {
    private final Executor executor;

    /** {@code executor}, whose rejected tasks run on the submitting thread. */
    public RejectionsRunHere(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException rejected) {
            task.run();
        }
    }
}
