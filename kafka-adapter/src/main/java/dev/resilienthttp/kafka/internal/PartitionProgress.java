package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Per partition: the offset of the next record to process, and the offset to commit once every record before it is
 * done. Records of a partition are done strictly in order, so the committable offset never passes a record that is
 * not done: that is the whole no-loss rule.
 */
final class PartitionProgress {
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();

    /** A batch starts at {@code offset}: the consumer's position and ours agree again. */
    void fetched(TopicPartition partition, long offset) {
        next.put(partition, offset);
    }

    /** The record at {@code offset} is handled, or its routed copy acknowledged. */
    void done(TopicPartition partition, long offset) {
        next.put(partition, offset + 1);
        uncommitted.put(partition, offset + 1);
    }

    /** Where the consumer must be to fetch the first record that is not done, or {@code null} if unknown. */
    Long next(TopicPartition partition) {
        return next.get(partition);
    }

    Map<TopicPartition, Long> positions() {
        return Map.copyOf(next);
    }

    /** The offsets to commit, restricted to {@code partitions}. */
    Map<TopicPartition, OffsetAndMetadata> uncommitted(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        uncommitted.forEach((partition, offset) -> {
            if (partitions.contains(partition)) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        });
        return offsets;
    }

    /** These offsets are committed; later progress made meanwhile stays to commit. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> uncommitted.remove(partition, offset.offset()));
    }

    /** The partitions are no longer ours: what is not committed is redone by the next owner (at least once). */
    void forget(Collection<TopicPartition> partitions) {
        next.keySet().removeAll(partitions);
        uncommitted.keySet().removeAll(partitions);
    }
}
