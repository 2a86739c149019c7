package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Per partition: the records taken and not yet done, and the offset after the last one taken. The offset to commit
 * is the lowest record not done, or, when every record taken is done, the one after the last: with many records in
 * flight, the committed offset never passes a record that is not done. That is the whole no-loss rule.
 */
final class PartitionProgress {
    private static final class Partition {
        final TreeSet<Long> notDone = new TreeSet<>();
        long next = -1;
        long committed = -1;

        long committable() {
            return notDone.isEmpty() ? next : notDone.first();
        }
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private int notDone;

    /** The record at {@code offset} is taken: it is not done until {@link #done}. */
    void taken(TopicPartition partition, long offset) {
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        if (p.notDone.add(offset)) {
            notDone++;
        }
        p.next = Math.max(p.next, offset + 1);
    }

    /** The record at {@code offset} is handled, or its routed copy acknowledged. */
    void done(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null && p.notDone.remove(offset)) {
            notDone--;
        }
    }

    /** Records taken and not done, over every partition. */
    int notDone() {
        return notDone;
    }

    /** The offsets to commit, restricted to {@code among}: only those that moved since the last commit. */
    Map<TopicPartition, OffsetAndMetadata> uncommitted(Collection<TopicPartition> among) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, p) -> {
            long offset = p.committable();
            if (offset > p.committed && among.contains(partition)) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        });
        return offsets;
    }

    /** These offsets are committed. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            Partition p = partitions.get(partition);
            if (p != null) {
                p.committed = Math.max(p.committed, offset.offset());
            }
        });
    }

    /** The partitions are no longer ours: what is not committed is redone by the next owner (at least once). */
    void forget(Collection<TopicPartition> gone) {
        for (TopicPartition partition : gone) {
            Partition p = partitions.remove(partition);
            if (p != null) {
                notDone -= p.notDone.size();
            }
        }
    }
}
