package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What each paused partition waits for: an error-topic record's not-before time (wall clock: it was written by
 * another process), or the next try of a routed copy that failed to produce (monotonic: it is our own backoff).
 */
final class Waits {
    /** A routed copy not yet acknowledged: the record at {@code offset} is not done until it is. */
    record PendingCopy(TopicPartition partition, long offset, RoutedCopy copy) {
    }

    private static final class Retry {
        final PendingCopy pending;
        int failures;
        long nextTryNanos;

        Retry(PendingCopy pending) {
            this.pending = pending;
        }
    }

    private final Clock clock;
    private final Backoff produceBackoff;
    private final Map<TopicPartition, Instant> due = new HashMap<>();
    private final Map<TopicPartition, Retry> retries = new HashMap<>();

    Waits(Clock clock, Backoff produceBackoff) {
        this.clock = clock;
        this.produceBackoff = produceBackoff;
    }

    void delay(TopicPartition partition, Instant notBefore) {
        due.put(partition, notBefore);
    }

    /** Stops waiting for every due time that has passed, and hands those partitions to {@code resume}. */
    void resumeDue(Consumer<TopicPartition> resume) {
        Instant now = clock.instant();
        List<TopicPartition> ready = new ArrayList<>();
        for (Iterator<Map.Entry<TopicPartition, Instant>> it = due.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Instant> entry = it.next();
            if (!now.isBefore(entry.getValue())) {
                ready.add(entry.getKey());
                it.remove();
            }
        }
        ready.forEach(resume);
    }

    /** Records a failed try of {@code copy} and says how long until the next one. */
    Duration produceFailed(TopicPartition partition, long offset, RoutedCopy copy) {
        Retry retry = retries.get(partition);
        if (retry == null || retry.pending.offset() != offset) {
            retry = new Retry(new PendingCopy(partition, offset, copy));
            retries.put(partition, retry);
        }
        retry.failures++;
        Duration wait = produceBackoff.after(retry.failures, Duration.ZERO);
        retry.nextTryNanos = System.nanoTime() + wait.toNanos();
        return wait;
    }

    void produced(TopicPartition partition) {
        retries.remove(partition);
    }

    /** The copies whose next try is due. */
    List<PendingCopy> pendingDue() {
        long now = System.nanoTime();
        List<PendingCopy> dueNow = new ArrayList<>();
        for (Retry retry : retries.values()) {
            if (now - retry.nextTryNanos >= 0) {
                dueNow.add(retry.pending);
            }
        }
        return dueNow;
    }

    /** Whether the partition must stay paused for a due time or an unrouted copy. */
    boolean holds(TopicPartition partition) {
        return due.containsKey(partition) || retries.containsKey(partition);
    }

    /** The partitions were revoked: their records are fetched again by whoever owns them next. */
    void forget(Set<TopicPartition> partitions) {
        due.keySet().removeAll(partitions);
        retries.keySet().removeAll(partitions);
    }
}
