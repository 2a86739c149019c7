package dev.resilienthttp.kafka.internal;

import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The error-topic partitions waiting for their next record's not-before time: wall-clock time, since another process
 * wrote it.
 */
final class Waits {
    private final Clock clock;
    private final Map<TopicPartition, Instant> due = new HashMap<>();

    Waits(Clock clock) {
        this.clock = clock;
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

    /** The partitions were revoked: their records are fetched again by whoever owns them next. */
    void forget(Set<TopicPartition> partitions) {
        due.keySet().removeAll(partitions);
    }
}
