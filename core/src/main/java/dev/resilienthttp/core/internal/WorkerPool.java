package dev.resilienthttp.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads of one client that may block: they run the caller's code that the JDK would otherwise run on its
 * selector thread (body handlers and subscribers, blocking request bodies, {@code sendAsync} continuations) and
 * the JDK's own tasks that are not cheap enough to run inline ({@link JdkExecutor}).
 *
 * <p>Elastic and bounded: a task goes to an idle thread if there is one, else to a new thread while there are
 * fewer than {@code maxThreads}, else it waits in the queue for the next free thread (never refused, never
 * dropped). A thread idle for {@code keepAliveNanos} ends. Unlike a {@code ThreadPoolExecutor} whose core size is
 * its bound, a trickle of tasks keeps one thread, not the bound.
 *
 * <p>Blocked at the bound, it grows a little: when every thread is busy and no task has been taken from the queue
 * for {@link #STARVED_NANOS}, one more thread starts, up to {@code maxSpares} more. Without them the bound could
 * deadlock what the caller's code waits for: 64 body mappers blocked reading streams whose bytes come through
 * tasks queued behind them, or 64 {@code sendAsync} continuations each joining another call whose end is queued
 * behind them. The JDK's own default pool has no bound, so neither deadlocks on the raw client. A pool that moves,
 * however slowly, gets no spare; a stuck one gets at most five a second. The JVM's common pool compensates blocked
 * joins the same way, with the same cap of 256 spare threads.
 *
 * <p>After {@link #shutdown()} the threads end as soon as the queue is empty: a task that still comes (a body that
 * outlives its attempt, a call that was waiting to retry) gets a thread that ends when it is done. Never is a
 * task run on the thread that gives it, which may be the JDK's selector thread.
 */
public final class WorkerPool implements Executor {
    /** How long a queue must go untouched while every thread is busy before a spare thread starts. */
    static final long STARVED_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final String name;
    private final int maxThreads;
    private final int maxSpares;
    private final long keepAliveNanos;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    /** Tasks taken from the queue so far: whether the pool moved since the last look. */
    private final AtomicLong taken = new AtomicLong();
    /** Whether a look for starvation is scheduled. */
    private final AtomicBoolean watching = new AtomicBoolean();
    /** Looks for starvation made so far; for tests. */
    private final AtomicInteger looks = new AtomicInteger();
    private volatile boolean shutdown;

    /**
     * @param name           the threads are named {@code name-1}, {@code name-2}, ...
     * @param maxThreads     the most threads alive at once while tasks move
     * @param maxSpares      the most threads started past {@code maxThreads} when every thread is blocked
     * @param keepAliveNanos how long an idle thread waits for a task before it ends
     */
    public WorkerPool(String name, int maxThreads, int maxSpares, long keepAliveNanos) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one thread, was " + maxThreads);
        }
        if (maxSpares < 0) {
            throw new IllegalArgumentException("a worker pool's spare threads cannot be negative, was " + maxSpares);
        }
        this.name = name;
        this.maxThreads = maxThreads;
        this.maxSpares = maxSpares;
        this.keepAliveNanos = keepAliveNanos;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        // More tasks waiting than threads waiting for them: an idle thread counts until it has taken one, so a burst
        // that saw one idle thread would otherwise leave the rest to a thread that may be busy for long.
        if (queue.size() > idle.get() && !addThread(maxThreads, true)) {
            watch();
        }
    }

    /** Lets the threads end once the queue is empty. Idempotent. */
    public synchronized void shutdown() {
        if (!shutdown) {
            shutdown = true;
            queue.add(END);
        }
    }

    /** Threads alive now; for tests. */
    public int threads() {
        return threads.get();
    }

    /** Looks for starvation made so far; for tests. */
    int looks() {
        return looks.get();
    }

    /** Threads waiting for a task now; for tests. */
    int idleThreads() {
        return idle.get();
    }

    /**
     * Looks, {@link #STARVED_NANOS} from now, whether the queue moved: on the JDK's shared delay thread, which runs
     * only this short look (no thread of the pool's is free to do it).
     */
    private void watch() {
        if (maxSpares > 0 && watching.compareAndSet(false, true)) {
            long before = taken.get();
            CompletableFuture.delayedExecutor(STARVED_NANOS, TimeUnit.NANOSECONDS, Runnable::run)
                    .execute(() -> look(before));
        }
    }

    private void look(long takenBefore) {
        looks.incrementAndGet();
        watching.set(false);
        if (queue.size() <= (shutdown ? 1 : 0)) {
            return;   // drained: nothing waits
        }
        if (idle.get() == 0 && taken.get() == takenBefore) {
            addThread(maxThreads + maxSpares, false);   // not here if none starts: this is the JDK's shared thread
        }
        // Again while anything waits, idle threads or not: an idle thread may take one task and block on it too.
        watch();
    }

    /**
     * Starts a thread if there are fewer than {@code bound}; otherwise the task waits for a busy one.
     *
     * @param mayRunHere whether, if no thread can be started and none is alive, this thread may run what waits
     *
     * @return whether a thread started, or one was not needed because none could be
     */
    private boolean addThread(int bound, boolean mayRunHere) {
        int alive;
        do {
            alive = threads.get();
            if (alive >= bound) {
                return false;
            }
        } while (!threads.compareAndSet(alive, alive + 1));
        try {
            Thread thread = new Thread(this::work, name + "-" + started.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        } catch (Throwable noThread) {
            threads.decrementAndGet();   // the queued task waits for a thread that is alive, or runs below
            if (mayRunHere && threads.get() == 0) {
                runQueued();
            }
        }
        return true;
    }

    private void work() {
        try {
            while (true) {
                Runnable task = next();
                if (task == null) {
                    return;
                }
                try {
                    task.run();
                } catch (Throwable e) {
                    Thread current = Thread.currentThread();
                    current.getUncaughtExceptionHandler().uncaughtException(current, e);
                }
            }
        } finally {
            threads.decrementAndGet();
            // A task added while this thread was giving up, by a caller that saw it idle, must not wait alone.
            if (queue.size() > (shutdown ? 1 : 0) && !addThread(maxThreads, true)) {
                watch();   // past the bound, spares alive: the threads left may all be blocked
            }
        }
    }

    /** The next task, or {@code null} when this thread should end: idle too long, or shut down and drained. */
    private Runnable next() {
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                if (shutdown) {
                    return null;
                }
                idle.incrementAndGet();
                try {
                    task = queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    task = null;   // nobody interrupts these threads but the JVM's end
                } finally {
                    idle.decrementAndGet();
                }
                if (task == null) {
                    return null;
                }
            }
            if (task != END) {
                taken.incrementAndGet();
                return task;
            }
            // The one end marker stays in the queue for every thread to see; a thread ends when it is all there is.
            boolean more = !queue.isEmpty();
            queue.add(END);
            if (!more) {
                return null;
            }
        }
    }

    /** No thread could be started and none is alive: the caller runs what waits, rather than lose it. */
    private void runQueued() {
        for (Runnable task = queue.poll(); task != null; task = queue.poll()) {
            if (task != END) {
                task.run();
            } else if (queue.isEmpty()) {
                queue.add(END);
                return;
            } else {
                queue.add(END);
            }
        }
    }

    /** Put in the queue once, by {@link #shutdown()}: it wakes idle threads to see that they may end. */
    private static final Runnable END = () -> { };
}
