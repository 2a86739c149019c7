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

/**
 * What the loop waits for besides handlers: an error-topic partition's not-before time (wall clock: it was written by
 * another process), and the next try of each routed copy that failed to produce (monotonic: our own backoff).
 */
final class Waits {
    private static final class Retry {
        final Work work;
        final long atNanos;

        Retry(Work work, long atNanos) {
            this.work = work;
            this.atNanos = atNanos;
        }
    }

    private final Clock clock;
    private final Backoff produceBackoff;
    private final Map<TopicPartition, Instant> due = new HashMap<>();
    private final List<Retry> retries = new ArrayList<>();

    Waits(Clock clock, Backoff produceBackoff) {
        this.clock = clock;
        this.produceBackoff = produceBackoff;
    }

    /** The partition's next record is not due before {@code notBefore}: the partition waits until then. */
    void delay(TopicPartition partition, Instant notBefore) {
        due.put(partition, notBefore);
    }

    /** Whether the partition waits for a due time; forgets due times that have passed. */
    boolean holds(TopicPartition partition) {
        Instant notBefore = due.get(partition);
        if (notBefore != null && !clock.instant().isBefore(notBefore)) {
            due.remove(partition);
            return false;
        }
        return notBefore != null;
    }

    /** Records a failed try of the work's copy and says how long until the next one. */
    Duration produceFailed(Work work) {
        work.produceFailures++;
        Duration wait = produceBackoff.after(work.produceFailures, Duration.ZERO);
        retries.add(new Retry(work, System.nanoTime() + wait.toNanos()));
        return wait;
    }

    /** The works whose copy is due to be produced again, no longer waiting. */
    List<Work> produceDue() {
        long now = System.nanoTime();
        List<Work> dueNow = new ArrayList<>();
        for (Iterator<Retry> it = retries.iterator(); it.hasNext(); ) {
            Retry retry = it.next();
            if (now - retry.atNanos >= 0) {
                dueNow.add(retry.work);
                it.remove();
            }
        }
        return dueNow;
    }

    /** Nanoseconds until the next produce retry, or {@code Long.MAX_VALUE} if none waits. */
    long nanosToNextRetry() {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Retry retry : retries) {
            next = Math.min(next, Math.max(0, retry.atNanos - now));
        }
        return next;
    }

    /** The partitions were revoked: their records are fetched again by whoever owns them next. */
    void forget(Set<TopicPartition> partitions) {
        due.keySet().removeAll(partitions);
        retries.removeIf(retry -> partitions.contains(retry.work.partition));
    }
}
