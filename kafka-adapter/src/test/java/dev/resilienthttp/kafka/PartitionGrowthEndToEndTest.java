package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A consumed topic gains a partition while the processor runs. Routed copies keep their partition, so a failed record
 * on the new partition needs that partition in the error and dead-letter topics: without it the producer waited
 * {@code max.block.ms} for a partition that never comes, again and again, while every other copy waited behind it and
 * {@code state()} said {@code RUNNING}.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class PartitionGrowthEndToEndTest {
    private static final int PARTITIONS = 2;
    private static final int NEW_PARTITION = PARTITIONS;

    @Test
    void aSourcePartitionAddedWithoutItsDeadLetterCounterpartFailsTheProcessorSayingWhatToAddAndLosesNothing(
            KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "grown-source", PARTITIONS);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        RecordingListener listener = new RecordingListener();
        TopicPartition grown = new TopicPartition(pipeline.source(), NEW_PARTITION);
        long failedOffset;
        ResilientEventProcessor<String, String> processor = processor(broker, pipeline, listener, handled);
        try (processor) {
            send(broker, pipeline.source(), 0, "warm-up", "fail-warm-up");
            Await.until("the warm-up event dead-lettered", Duration.ofSeconds(20), () -> listener.routed.size() == 1,
                    processor::failure);

            grow(broker, Map.of(pipeline.source(), PARTITIONS + 1));
            failedOffset = send(broker, pipeline.source(), NEW_PARTITION, "article-new", "fail-new");
            send(broker, pipeline.source(), NEW_PARTITION, "article-after", "ok-after");
            Await.until("the processor failed", Duration.ofSeconds(30),
                    () -> processor.state() == ProcessorState.FAILED,
                    () -> processor.state() + ", " + listener.produceFailures.size() + " produce failures, last "
                            + (listener.produceFailures.isEmpty() ? "none"
                            : listener.produceFailures.get(listener.produceFailures.size() - 1)));
        }
        Map<TopicPartition, Long> committed = broker.committed(pipeline.group());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
        KafkaNumbers.print("source-grown-alone", String.format("failure=%s stopped=%d produce-failures=%d "
                        + "committed-new-partition=%s failed-offset=%d dead-letter=%d",
                listener.stopped.isEmpty() ? "none" : listener.stopped.get(0).getMessage(), listener.stopped.size(),
                listener.produceFailures.size(), committed.get(grown), failedOffset, deadLetters.size()));

        assertThat(processor.state()).as("after close too").isEqualTo(ProcessorState.FAILED);
        assertThat(listener.stopped).singleElement().satisfies(error -> assertThat(error.getMessage())
                .contains("partition " + grown + " has no counterpart in " + pipeline.deadLetter() + ", which has "
                        + PARTITIONS + " partitions")
                .contains("add partitions to " + pipeline.error() + " and " + pipeline.deadLetter()));
        assertThat(processor.failure()).containsSame(listener.stopped.get(0));
        assertThat(committed.getOrDefault(grown, 0L)).as("committed offset of the new partition")
                .isLessThanOrEqualTo(failedOffset);
        assertThat(deadLetters).as("only the warm-up event: nothing misrouted to another partition")
                .singleElement().satisfies(record -> assertThat(record.partition()).isZero());
    }

    @Test
    void aSourceTopicGrownTogetherWithItsErrorAndDeadLetterTopicsGoesOnRoutingToTheNewPartition(
            KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "grown-together", PARTITIONS);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        RecordingListener listener = new RecordingListener();
        try (ResilientEventProcessor<String, String> processor = processor(broker, pipeline, listener, handled)) {
            // The routing producer learns the dead-letter topic's 2 partitions here, and keeps them for its
            // metadata.max.age.ms (5 min): only a fresh look sees the third.
            send(broker, pipeline.source(), 0, "warm-up", "fail-warm-up");
            Await.until("the warm-up event dead-lettered", Duration.ofSeconds(20), () -> listener.routed.size() == 1,
                    processor::failure);

            grow(broker, Map.of(pipeline.source(), PARTITIONS + 1, pipeline.error(), PARTITIONS + 1,
                    pipeline.deadLetter(), PARTITIONS + 1));
            send(broker, pipeline.source(), NEW_PARTITION, "article-new", "fail-new");
            send(broker, pipeline.source(), NEW_PARTITION, "article-after", "ok-after");
            Await.until("the new partition's events dead-lettered or handled, and committed", Duration.ofSeconds(30),
                    () -> listener.routed.size() == 2 && handled.contains("ok-after")
                            && pipeline.committedToEnd(pipeline.source()),
                    () -> processor.state() + ", routed " + listener.routed + ", " + processor.failure());
            assertThat(processor.state()).isEqualTo(ProcessorState.RUNNING);
        }

        assertThat(listener.stopped).isEmpty();
        assertThat(broker.records(pipeline.deadLetter())).map(ConsumerRecord::partition)
                .containsExactly(0, NEW_PARTITION);
    }

    @Test
    void aStartIsRefusedWithTheSameAdviceWhenTheDeadLetterTopicHasFewerPartitionsThanTheSource(
            KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "narrow-dlt", PARTITIONS);
        String narrow = pipeline.deadLetter() + "-narrow";
        broker.createTopic(narrow, PARTITIONS - 1, Map.of());
        ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .deadLetterTopic(narrow).handler(record -> { }).build();

        assertThatThrownBy(processor::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("partition " + new TopicPartition(pipeline.source(), PARTITIONS - 1)
                        + " has no counterpart in " + narrow + ", which has " + (PARTITIONS - 1) + " partitions")
                .hasMessageContaining("add partitions to " + pipeline.error() + " and " + narrow);
        assertThat(processor.state()).isEqualTo(ProcessorState.NEW);
    }

    /** Fails every {@code fail-} event with a 404 (dead-lettered); a short metadata age finds a new partition soon. */
    private static ResilientEventProcessor<String, String> processor(KafkaTestBroker broker, Pipeline pipeline,
            RecordingListener listener, Set<String> handled) {
        return pipeline.processor(Serdes.String())
                .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, pipeline.group(),
                        ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500))
                .producerConfig(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000))
                .listener(listener)
                .handler(record -> {
                    if (record.value().startsWith("fail")) {
                        throw Failures.status(FailureKind.CLIENT_ERROR, 404, "http://api/articles/" + record.key());
                    }
                    handled.add(record.value());
                }).build().start();
    }

    private static void grow(KafkaTestBroker broker, Map<String, Integer> partitions) throws Exception {
        Map<String, NewPartitions> increases = new HashMap<>();
        partitions.forEach((topic, count) -> increases.put(topic, NewPartitions.increaseTo(count)));
        broker.admin().createPartitions(increases).all().get(30, TimeUnit.SECONDS);
    }

    private static long send(KafkaTestBroker broker, String topic, int partition, String key, String value)
            throws Exception {
        return broker.sendAndGetOffset(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
    }
}
