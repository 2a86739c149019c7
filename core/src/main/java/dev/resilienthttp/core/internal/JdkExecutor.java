package dev.resilienthttp.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The executor a generation's JDK client is given: the JDK's own hand-offs run at once on the thread that makes
 * them, and the rest go to a {@link WorkerPool} of the client's for the JDK's work.
 *
 * <p>Why: with an executor, the JDK client hands every response from its selector thread to a pool thread, which
 * then wakes the caller: two thread switches a call where one will do. What reaches the executor was measured
 * ({@code benchmarks/results/executor-tasks.md}, JDK 17 and 25): the JDK's own tasks, nearly all submitted by its
 * selector thread (reading, parsing, completing the response), and one {@code CompletableFuture$AsyncSupply} from the
 * caller for each {@code sendAsync}. The JDK's tasks run here, inline: its code does not block, and the caller's
 * code that may run inside them (the body handler, the subscriber and the request body) is moved to the pool
 * before it can ({@link OffloadedHandler}, {@link OffloadedPublisher}). To the pool go: {@code sendAsync}'s start
 * (it may resolve a host name, and {@code sendAsync} must not block its caller), a TLS handshake's delegated tasks
 * (milliseconds of CPU each), and any task that is not the JDK's. Inline runs nest at most {@link #MAX_DEPTH} deep;
 * deeper ones go to the pool, so no chain of hand-offs can overflow a stack.
 *
 * <p>A JDK client whose builder was given hooks of the user's that the JDK calls while it reads a response (an
 * authenticator, a cookie handler, a proxy selector not of the JDK's) runs nothing inline: {@link #allowInline}.
 */
public final class JdkExecutor implements Executor {
    private static final int MAX_DEPTH = 8;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    /** Where a task of some class runs. */
    private enum Where { INLINE, POOL, POOL_UNLESS_SELECTOR }

    private static final ClassValue<Where> WHERE = new ClassValue<>() {
        @Override
        protected Where computeValue(Class<?> type) {
            String name = type.getName();
            if (name.startsWith("jdk.internal.net.http.common.SSLFlowDelegate")) {
                return Where.POOL;   // the handshake's delegated tasks: CPU for milliseconds each
            }
            if (name.equals("java.util.concurrent.CompletableFuture$AsyncSupply")) {
                return Where.POOL_UNLESS_SELECTOR;   // from the caller: sendAsync's start
            }
            if (name.startsWith("jdk.internal.net.http.") || name.startsWith("java.util.concurrent.CompletableFuture$")) {
                return Where.INLINE;
            }
            return Where.POOL;
        }
    };

    /** The JDK's selector thread is its own subclass of {@code Thread}. */
    private static final ClassValue<Boolean> SELECTOR = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.getName().startsWith("jdk.internal.net.http.HttpClientImpl$SelectorManager");
        }
    };

    private final WorkerPool pool;
    private volatile boolean inline;

    /** An executor that runs nothing inline until {@link #allowInline} says it may. */
    public JdkExecutor(WorkerPool pool) {
        this.pool = pool;
    }

    /** Lets the JDK's own hand-offs run inline: the JDK client was built and calls none of the user's hooks. */
    public void allowInline() {
        inline = true;
    }

    @Override
    public void execute(Runnable task) {
        Where where = inline ? WHERE.get(task.getClass()) : Where.POOL;
        if (where == Where.POOL_UNLESS_SELECTOR) {
            where = SELECTOR.get(Thread.currentThread().getClass()) ? Where.INLINE : Where.POOL;
        }
        int[] depth = DEPTH.get();
        if (where == Where.POOL || depth[0] >= MAX_DEPTH) {
            pool.execute(task);
            return;
        }
        depth[0]++;
        try {
            task.run();
        } catch (Throwable e) {
            // As a pool thread would: the JDK 17 executor's caller takes an exception as the executor's failure and
            // aborts every exchange of the client.
            Thread current = Thread.currentThread();
            current.getUncaughtExceptionHandler().uncaughtException(current, e);
        } finally {
            depth[0]--;
        }
    }

    /**
     * Runs {@code task}, the JDK's own work, on the current thread as a task of the JDK's run inline: whatever of
     * the caller's it sets off meanwhile (a future's dependent stages) sees {@link #mustNotBlock} and moves to a
     * worker thread. For the JDK work this library starts itself on its JDK pool: a deadline's cancel.
     */
    public static void runAsJdkTask(Runnable task) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            task.run();
        } finally {
            depth[0]--;
        }
    }

    /** Whether the current thread is a JDK client's selector thread. */
    static boolean onSelectorThread() {
        return SELECTOR.get(Thread.currentThread().getClass());
    }

    /**
     * Whether the current thread must not run the caller's code: it is running a JDK task inline (most often on a
     * JDK client's selector thread, which serves every connection of that client), it is a {@link ReservedThread}
     * of this library, or it is a thread of the JVM's common pool. The JDK completes every {@code sendAsync} there
     * (on JDK 25, and on 17 with three CPUs or more), and with two CPUs that pool has one thread: one blocking
     * continuation would hold up every {@code sendAsync} in the JVM.
     */
    public static boolean mustNotBlock() {
        Thread current = Thread.currentThread();
        return DEPTH.get()[0] > 0 || current instanceof ReservedThread
                || current instanceof ForkJoinWorkerThread
                        && ((ForkJoinWorkerThread) current).getPool() == ForkJoinPool.commonPool();
    }
}
