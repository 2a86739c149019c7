package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;

/**
 * The one rule between the consumed topics and the topics copies are routed to: a routed copy keeps its record's
 * partition, so the error and dead-letter topics need every partition of every consumed topic. {@code start()} checks
 * it for the topics as they are, so that it does not fail at the first routed record, possibly hours later;
 * {@link TargetPartitions} checks it again for each copy, for a consumed topic that gained partitions since.
 */
public final class TopicChecks {
    private TopicChecks() {
    }

    /**
     * Checks that the error and dead-letter topics have as many partitions as the widest consumed topic.
     *
     * @throws IllegalStateException if one has fewer
     * @throws org.apache.kafka.common.KafkaException if the brokers cannot say within {@code max.block.ms}
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
        if (widest == null) {
            return;
        }
        TopicPartition last = new TopicPartition(widest, most - 1);
        for (String target : List.of(errorTopic, deadLetterTopic)) {
            requireCounterpart(last, target, partitions(producer, target), errorTopic, deadLetterTopic);
        }
    }

    /**
     * Checks that {@code target}, which has {@code targetPartitions}, has the partition of {@code source}.
     *
     * @throws IllegalStateException naming the source partition, the target, its partitions and what to do, if not
     */
    static void requireCounterpart(TopicPartition source, String target, int targetPartitions, String errorTopic,
                                   String deadLetterTopic) {
        if (source.partition() < targetPartitions) {
            return;
        }
        throw new MissingPartitionException("partition " + source + " has no counterpart in " + target
                + ", which has " + targetPartitions + " partitions: a routed copy keeps its record's partition, so "
                + "add partitions to " + errorTopic + " and " + deadLetterTopic + ", as many as " + source.topic()
                + " has (at least " + (source.partition() + 1) + ")");
    }

    /** The partitions of {@code topic} as the producer knows them; it asks the brokers if it knows none. */
    static int partitions(Producer<?, ?> producer, String topic) {
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        return partitions == null ? 0 : partitions.size();
    }

    /** A target topic lacks a partition a routed copy keeps: adding partitions cures it, trying again does not. */
    static final class MissingPartitionException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingPartitionException(String message) {
            super(message);
        }
    }
}
