package dev.resilienthttp.faults.internal.proxy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and tracks the server's threads: named {@code toxiproxy-…}, daemon, and logged rather
 * than lost when they fail, so that {@link #joinAll} can prove that closing left nothing behind.
 */
public final class Workers {
    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    public Workers() {
    }

    public Thread start(String name, Runnable body) {
        Thread thread = newThread(name, body);
        thread.start();
        return thread;
    }

    /** For executors: every thread they make is named {@code toxiproxy-<prefix>-N} and tracked. */
    public ThreadFactory factory(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return body -> newThread(prefix + "-" + count.incrementAndGet(), body);
    }

    private Thread newThread(String name, Runnable body) {
        Thread[] self = new Thread[1];
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                LOG.error("thread {} failed", Thread.currentThread().getName(), e);
            } finally {
                live.remove(self[0]);
            }
        }, "toxiproxy-" + name);
        self[0] = thread;
        thread.setDaemon(true);
        live.add(thread);
        return thread;
    }

    /** Waits up to {@code timeout} for every tracked thread to end; false if some are still running. */
    public boolean joinAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : Set.copyOf(live)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        live.removeIf(t -> !t.isAlive());
        if (!live.isEmpty()) {
            LOG.warn("threads still running after close: {}", live);
        }
        return live.isEmpty();
    }
}
