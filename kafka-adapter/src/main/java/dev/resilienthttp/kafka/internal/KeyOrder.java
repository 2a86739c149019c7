package dev.resilienthttp.kafka.internal;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which fetched record may run next: at most {@code maxInFlight} at once, never two of one order key, and each key's
 * records in the order they were added. A record a protection refused is held at the head of its key (the key's
 * later records wait behind it) until {@link #releaseHeld} lets it run again, before any other.
 *
 * <p>Only the processor's thread uses it.
 */
final class KeyOrder {
    private final int maxInFlight;
    /** Per key, its records not yet finished, the first one ready, running or held. */
    private final Map<Object, ArrayDeque<Work>> keys = new HashMap<>();
    /** Heads of their keys, waiting for a slot, in the order they became ready. */
    private final ArrayDeque<Work> ready = new ArrayDeque<>();
    /** Held records let go again: they run before {@link #ready}, and while the processor holds. */
    private final ArrayDeque<Work> released = new ArrayDeque<>();
    private final List<Work> held = new ArrayList<>();
    private int running;

    KeyOrder(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    void add(Work work) {
        ArrayDeque<Work> key = keys.computeIfAbsent(work.orderKey, k -> new ArrayDeque<>());
        key.addLast(work);
        if (key.size() == 1) {
            ready.addLast(work);
        }
    }

    /**
     * The next record to run, marked running, or {@code null} if every slot is taken or none may run.
     *
     * @param holding whether the processor holds: then only released records run
     */
    Work next(boolean holding) {
        if (running >= maxInFlight) {
            return null;
        }
        Work work = released.pollFirst();
        if (work == null && !holding) {
            work = ready.pollFirst();
        }
        if (work != null) {
            work.running = true;
            running++;
        }
        return work;
    }

    /** The record's run ended and it will not run again: its key's next record becomes ready. */
    void finished(Work work) {
        stopped(work);
        ArrayDeque<Work> key = keys.get(work.orderKey);
        if (key == null || key.peekFirst() != work) {
            return;    // forgotten with its partition
        }
        key.pollFirst();
        promote(work.orderKey, key);
    }

    /** A protection refused the record's call: it keeps its key until {@link #releaseHeld} or {@link #finished}. */
    void hold(Work work) {
        stopped(work);
        held.add(work);
    }

    /** Lets the record held longest run again, first: one probe of whether calls get through. */
    boolean releaseOne() {
        if (held.isEmpty()) {
            return false;
        }
        released.addLast(held.remove(0));
        return true;
    }

    /** The held records {@code expired} says are done waiting, no longer held; the caller finishes each. */
    List<Work> takeHeld(java.util.function.Predicate<Work> expired) {
        List<Work> taken = new ArrayList<>();
        held.removeIf(work -> expired.test(work) && taken.add(work));
        return taken;
    }

    /** Lets every held record run again, first. */
    int releaseHeld() {
        int n = held.size();
        released.addAll(held);
        held.clear();
        return n;
    }

    int running() {
        return running;
    }

    boolean hasHeld() {
        return !held.isEmpty() || !released.isEmpty();
    }

    /**
     * The partitions were revoked: their records that are not running are dropped, and the keys they held go to the
     * next record. Those running are marked {@link Work#abandoned} and keep their slot and their key until
     * {@link #finished}: the key's next record, from a partition still ours or fetched again, never runs beside one.
     */
    void forget(Set<TopicPartition> partitions) {
        ready.removeIf(work -> partitions.contains(work.partition));
        released.removeIf(work -> partitions.contains(work.partition));
        held.removeIf(work -> partitions.contains(work.partition));
        for (Iterator<Map.Entry<Object, ArrayDeque<Work>>> it = keys.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, ArrayDeque<Work>> entry = it.next();
            ArrayDeque<Work> key = entry.getValue();
            Work head = key.peekFirst();
            for (Work work : key) {
                work.abandoned |= partitions.contains(work.partition);
            }
            key.removeIf(work -> work.abandoned && !work.running);
            if (key.isEmpty()) {
                it.remove();
            } else if (key.peekFirst() != head && !isWaiting(key.peekFirst())) {
                ready.addLast(key.peekFirst());
            }
        }
    }

    private boolean isWaiting(Work work) {
        return work.running || ready.contains(work) || released.contains(work) || held.contains(work);
    }

    private void stopped(Work work) {
        if (work.running) {
            work.running = false;
            running--;
        }
    }

    private void promote(Object orderKey, ArrayDeque<Work> key) {
        if (key.isEmpty()) {
            keys.remove(orderKey);
        } else {
            ready.addLast(key.peekFirst());
        }
    }
}
