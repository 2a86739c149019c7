package dev.resilienthttp.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>After {@link #shutdown()} the threads end as soon as the queue is empty: a task that still comes (a body that
 * outlives its attempt, a call that was waiting to retry) gets a thread that ends when it is done. Never is a
 * task run on the thread that gives it, which may be the JDK's selector thread.
 */
public final class WorkerPool implements Executor {
    private final String name;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean shutdown;

    /**
     * @param name           the threads are named {@code name-1}, {@code name-2}, ...
     * @param maxThreads     the most threads alive at once
     * @param keepAliveNanos how long an idle thread waits for a task before it ends
     */
    public WorkerPool(String name, int maxThreads, long keepAliveNanos) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one thread, was " + maxThreads);
        }
        this.name = name;
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAliveNanos;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        // More tasks waiting than threads waiting for them: an idle thread counts until it has taken one, so a burst
        // that saw one idle thread would otherwise leave the rest to a thread that may be busy for long.
        if (queue.size() > idle.get()) {
            addThread();
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

    /** Threads waiting for a task now; for tests. */
    int idleThreads() {
        return idle.get();
    }

    /** Starts a thread if there are fewer than the bound; otherwise the task waits for a busy one. */
    private void addThread() {
        int alive;
        do {
            alive = threads.get();
            if (alive >= maxThreads) {
                return;
            }
        } while (!threads.compareAndSet(alive, alive + 1));
        try {
            Thread thread = new Thread(this::work, name + "-" + started.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        } catch (Throwable noThread) {
            threads.decrementAndGet();   // the queued task waits for a thread that is alive, or runs below
            if (threads.get() == 0) {
                runQueued();
            }
        }
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
            if (queue.size() > (shutdown ? 1 : 0)) {
                addThread();
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
