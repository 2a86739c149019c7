package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;

import java.util.Collection;
import java.util.List;

/** Checks at start what would otherwise fail at the first routed record, possibly hours later. */
public final class TopicChecks {
    private TopicChecks() {
    }

    /**
     * Routed copies keep their partition, so the error and dead-letter topics need at least as many partitions as
     * every consumed topic.
     *
     * @throws IllegalStateException if one has fewer
     */
    public static void checkPartitions(Producer<?, ?> producer, Collection<String> consumed, String errorTopic,
                                       String deadLetterTopic) {
        int most = 0;
        String widest = null;
        for (String topic : consumed) {
            int count = partitions(producer, topic);
            if (count > most) {
                most = count;
                widest = topic;
            }
        }
        for (String target : List.of(errorTopic, deadLetterTopic)) {
            int count = partitions(producer, target);
            if (count < most) {
                throw new IllegalStateException("topic " + target + " has " + count + " partitions, fewer than the "
                        + most + " of " + widest + ": a routed record keeps its partition, so give " + target
                        + " at least " + most);
            }
        }
    }

    private static int partitions(Producer<?, ?> producer, String topic) {
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        return partitions == null ? 0 : partitions.size();
    }
}
