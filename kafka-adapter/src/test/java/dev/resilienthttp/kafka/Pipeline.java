package dev.resilienthttp.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A source, error and dead-letter topic of their own on the shared broker, with a consumer group of their own, and
 * a processor builder with test timings: polls of 50 ms, error-topic delays from 100 ms, produce retries and held records' tries from 50 ms.
 */
record Pipeline(KafkaTestBroker broker, String source, String error, String deadLetter, String group) {
    static Pipeline create(KafkaTestBroker broker, String name, int partitions) throws Exception {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Pipeline pipeline = new Pipeline(broker, id, id + "-error", id + "-dlt", id + "-group");
        broker.createTopics(partitions, pipeline.source, pipeline.error, pipeline.deadLetter);
        return pipeline;
    }

    /** A processor of this pipeline's source and error topics with string keys. */
    <V> ResilientEventProcessorBuilder<String, V> processor(Serde<V> values) {
        return ResilientEventProcessor.builder(Serdes.String(), values)
                .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, group,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50))
                .producerConfig(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))
                .topics(source, error)
                .errorTopic(error)
                .deadLetterTopic(deadLetter)
                .pollTimeout(Duration.ofMillis(50))
                .closeTimeout(Duration.ofSeconds(10))
                .produceRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .retryDelay(Duration.ofMillis(100), Duration.ofSeconds(1))
                .holdRetry(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    /** Whether the group has committed the end of every partition of {@code topic}. */
    boolean committedToEnd(String topic) {
        try {
            Map<org.apache.kafka.common.TopicPartition, Long> committed = broker.committed(group);
            return broker.endOffsets(topic).entrySet().stream()
                    .allMatch(end -> end.getValue() == 0 || end.getValue().equals(committed.get(end.getKey())));
        } catch (Exception e) {
            return false;
        }
    }
}
