package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.ReservedThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One daemon thread that expires whatever outlives its deadline: OkHttp's {@code AsyncTimeout} idea. A
 * {@code CompletableFuture.orTimeout} per attempt costs some 400 bytes and a wake-up of the JDK's delayer thread
 * each; here an attempt costs one link in a list it already is (the entry is the watched object itself).
 *
 * <p>Entries are kept sorted by deadline. Attempts of one policy mostly end in the order they started, so an
 * insertion walks back from the tail and stops at once, and wakes no one: the thread is woken only for a deadline
 * earlier than the one it sleeps until. It starts with the first entry and ends after {@link #IDLE_NANOS} with
 * none, so that an idle library holds no thread.
 *
 * <p>It is no single point of failure: whatever one entry's {@link Entry#expire} throws, {@link Error}s included, is
 * logged and the watch goes on; and should the thread die anyway, it starts its successor on its way out while
 * anything is watched, and the next {@link #watch} starts one if none is alive. Where no thread can be started at
 * all, {@link #watch} says so, and the attempt falls back on a backstop of its own ({@link AttemptDeadline}).
 */
final class DeadlineWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientHttpClient.class);

    /** The one watchdog of the JVM. */
    static final DeadlineWatchdog INSTANCE = new DeadlineWatchdog();

    /**
     * How long the thread waits with nothing to watch before it ends, and the longest it sleeps: it looks at least
     * this often, so it ends within twice this after the last entry went, though no one wakes it for that.
     */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Something with a deadline on {@link System#nanoTime()}; linked into the watchdog's list while watched. */
    abstract static class Entry {
        private long deadlineNanos;
        private Entry previous;
        private Entry next;
        private boolean watched;

        /** Called once, on the watchdog's thread, when the deadline passed while the entry was watched. */
        abstract void expire();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition headChanged = lock.newCondition();
    private Entry head;
    private Entry tail;
    private Thread thread;
    /**
     * When the thread will wake by itself (on {@link System#nanoTime()}), valid while {@link #sleepsUntilWake}. An
     * entry due later needs no signal: most are (a policy's deadline is minutes away), so a call wakes no thread.
     */
    private long wakeAt;
    private boolean sleepsUntilWake;
    /** Test hook: the thread dies at its next turn, outside any entry, as an unexpected {@link Error} would make it. */
    private boolean dieAtNextTurn;
    /** Test hook: no thread can be started, as when the JVM is out of native threads. */
    private boolean refuseThreads;

    private DeadlineWatchdog() {
    }

    /**
     * Watches {@code entry} until {@code deadlineNanos} (on {@link System#nanoTime()}) or {@link #unwatch}.
     *
     * @return whether a thread watches it; {@code false} only when none could be started (the entry stays listed,
     *         for the next thread that can)
     */
    boolean watch(Entry entry, long deadlineNanos) {
        lock.lock();
        try {
            if (entry.watched) {
                throw new IllegalStateException("already watched");
            }
            entry.deadlineNanos = deadlineNanos;
            entry.watched = true;
            Entry after = tail;
            while (after != null && after.deadlineNanos - deadlineNanos > 0) {
                after = after.previous;
            }
            entry.previous = after;
            entry.next = after == null ? head : after.next;
            if (entry.next == null) {
                tail = entry;
            } else {
                entry.next.previous = entry;
            }
            if (after == null) {
                head = entry;
                if (!sleepsUntilWake || deadlineNanos - wakeAt < 0) {
                    headChanged.signal();
                }
            } else {
                after.next = entry;
            }
            return thread != null && thread.isAlive() || startThread();
        } finally {
            lock.unlock();
        }
    }

    /** Starts a thread, under the lock; whether that worked. */
    private boolean startThread() {
        thread = null;
        try {
            if (refuseThreads) {
                throw new OutOfMemoryError("unable to create native thread (refused by a test)");
            }
            Thread started = new ReservedThread(this::run, "resilient-http-deadlines");
            started.start();
            thread = started;
            return true;
        } catch (Throwable noThread) {
            LOG.error("no thread could be started to keep the deadlines of HTTP attempts; attempts fall back on "
                    + "their own backstop", noThread);
            return false;
        }
    }

    /** Stops watching {@code entry}; a no-op if it is not watched (it ended, or it expired). */
    void unwatch(Entry entry) {
        lock.lock();
        try {
            if (entry.watched) {
                unlink(entry);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Entries watched now; for tests. */
    int watched() {
        lock.lock();
        try {
            int count = 0;
            for (Entry e = head; e != null; e = e.next) {
                count++;
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a thread watches now; for tests. */
    boolean threadAlive() {
        Thread current = threadForTests();
        return current != null && current.isAlive();
    }

    /** The watching thread, or {@code null}; for tests. */
    Thread threadForTests() {
        lock.lock();
        try {
            return thread;
        } finally {
            lock.unlock();
        }
    }

    /** Test hook: makes the thread die at its next turn, outside any entry's expiry. */
    void killThreadForTests() {
        lock.lock();
        try {
            dieAtNextTurn = true;
            headChanged.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Test hook: while {@code refuse}, no thread can be started and {@link #watch} answers {@code false}. */
    void refuseThreadsForTests(boolean refuse) {
        lock.lock();
        try {
            refuseThreads = refuse;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                Entry expired;
                lock.lock();
                try {
                    if (dieAtNextTurn) {
                        dieAtNextTurn = false;
                        throw new Error("the deadline watchdog's thread was killed by a test");
                    }
                    expired = nextExpired();
                    if (thread != Thread.currentThread()) {
                        return;   // idle: nextExpired gave the thread up, under this same lock
                    }
                } finally {
                    lock.unlock();
                }
                if (expired != null) {
                    try {
                        expired.expire();
                    } catch (Throwable e) {
                        // An entry's bug (or its body subscriber's), even an Error, must not stop the watch over
                        // the others.
                        LOG.warn("expiring a deadline failed", e);
                    }
                }
            }
        } finally {
            handOver();
        }
    }

    /**
     * The thread ends, idle or not: if it is still the watchdog's and anything is watched (it died of something
     * unexpected), a successor takes over at once, rather than at the next {@link #watch}, which may never come.
     */
    private void handOver() {
        lock.lock();
        try {
            if (thread == Thread.currentThread()) {
                thread = null;
                if (head != null) {
                    startThread();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, under the lock, for the head's deadline and unlinks it; {@code null} when it woke for another reason
     * or, with nothing to watch for {@link #IDLE_NANOS}, gave the thread up.
     */
    private Entry nextExpired() {
        try {
            if (head == null) {
                long left = sleep(IDLE_NANOS);
                if (head == null && left <= 0) {
                    thread = null;
                }
                return null;
            }
            long wait = head.deadlineNanos - System.nanoTime();
            if (wait > 0) {
                sleep(Math.min(wait, IDLE_NANOS));
                return null;
            }
            Entry expired = head;
            unlink(expired);
            return expired;
        } catch (InterruptedException e) {
            return null;   // nobody interrupts this thread; go round and look again
        }
    }

    /** Waits under the lock until {@code nanos} pass or an earlier deadline arrives; returns the time left. */
    private long sleep(long nanos) throws InterruptedException {
        wakeAt = System.nanoTime() + nanos;
        sleepsUntilWake = true;
        try {
            return headChanged.awaitNanos(nanos);
        } finally {
            sleepsUntilWake = false;
        }
    }

    private void unlink(Entry entry) {
        if (entry.previous == null) {
            head = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            tail = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
        entry.watched = false;
    }
}
