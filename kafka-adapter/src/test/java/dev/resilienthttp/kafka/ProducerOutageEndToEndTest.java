package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.faults.Await;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka itself fails while failures are being routed: the routing producer reaches the broker only through the
 * test kit's proxy, which goes {@code down} (listener and connections closed) while the consumer, on the direct
 * listener, keeps consuming and committing. Every second event fails with a 404 and must be dead-lettered.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class ProducerOutageEndToEndTest {
    private static final int EVENTS = 40;
    private static final int PARTITIONS = 2;

    @Test
    void noOffsetIsCommittedPastAnUnroutedRecordAndAfterRecoveryEveryEventIsAccountedFor(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "producer-outage", PARTITIONS);
        Set<String> handledOk = ConcurrentHashMap.newKeySet();
        Map<String, Integer> handlerCalls = new ConcurrentHashMap<>();
        RecordingListener listener = new RecordingListener();
        Map<TopicPartition, Long> committedDuringOutage;
        Map<TopicPartition, Long> firstUnroutedOffset = new HashMap<>();
        try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .producerConfig(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.proxiedBootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG, 0,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000,
                        ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))
                .listener(listener)
                .handler(record -> {
                    handlerCalls.merge(record.value(), 1, Integer::sum);
                    if (record.value().startsWith("fail")) {
                        throw Failures.status(FailureKind.CLIENT_ERROR, 404, "http://api/articles/" + record.key());
                    }
                    handledOk.add(record.value());
                }).build().start()) {
            // One routed record first: the producer has connected through the proxy before the cut.
            send(broker, pipeline, 0, "warm-up", "fail-warm-up");
            Await.until("the warm-up event dead-lettered", Duration.ofSeconds(20), () -> listener.routed.size() == 1,
                    processor::failure);

            broker.cutProxiedPath();
            for (int i = 0; i < EVENTS; i++) {
                String value = (i % 2 == 0 ? "ok-" : "fail-") + i;
                // ok, fail on partition 0, then ok, fail on partition 1, and so on: each partition has both.
                int partition = (i / 2) % PARTITIONS;
                long offset = send(broker, pipeline, partition, "article-" + i, value);
                if (value.startsWith("fail")) {
                    firstUnroutedOffset.putIfAbsent(new TopicPartition(pipeline.source(), partition), offset);
                }
            }
            Await.until("routing failed on both partitions, twice each", Duration.ofSeconds(30),
                    () -> listener.produceFailures.size() >= 2 * PARTITIONS, processor::failure);
            committedDuringOutage = broker.committed(pipeline.group());
            Map<String, Integer> callsDuringOutage = new TreeMap<>(handlerCalls);

            broker.restoreProxiedPath();
            Await.until("every event handled or dead-lettered, and the source committed to its end",
                    Duration.ofSeconds(40), () -> handledOk.size() == EVENTS / 2
                            && deadLettered(broker, pipeline).containsAll(failing())
                            && pipeline.committedToEnd(pipeline.source()),
                    () -> handledOk.size() + " ok, " + listener.produceFailures.size() + " produce failures, "
                            + processor.failure());

            List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
            Map<String, Long> copies = deadLetters.stream().collect(Collectors.groupingBy(
                    r -> new String(r.value(), StandardCharsets.UTF_8), Collectors.counting()));
            KafkaNumbers.print("producer-outage", String.format("events=%d handled-ok=%d dead-letter=%d "
                            + "dead-letter-duplicates=%d produce-failures=%d committed-during-outage=%s "
                            + "first-unrouted=%s error-topic=%d", EVENTS + 1, handledOk.size(), deadLetters.size(),
                    deadLetters.size() - copies.size(), listener.produceFailures.size(),
                    new TreeMap<>(byPartition(committedDuringOutage)), new TreeMap<>(byPartition(firstUnroutedOffset)),
                    broker.records(pipeline.error()).size()));

            // Nothing committed at all (null) is the group's offset 0.
            firstUnroutedOffset.forEach((partition, offset) -> assertThat(
                    committedDuringOutage.getOrDefault(partition, 0L))
                    .as("committed offset of %s during the outage", partition).isLessThanOrEqualTo(offset));
            callsDuringOutage.forEach((value, calls) -> assertThat(calls)
                    .as("a record waiting for its routed copy is not handled again: %s", value).isEqualTo(1));
            assertThat(copies.keySet()).containsAll(failing()).contains("fail-warm-up");
            assertThat(copies.keySet()).allMatch(value -> value.startsWith("fail"));
            assertThat(handledOk).hasSize(EVENTS / 2);
            assertThat(broker.records(pipeline.error())).isEmpty();
        }
    }

    private static long send(KafkaTestBroker broker, Pipeline pipeline, int partition, String key, String value)
            throws Exception {
        return broker.sendAndGetOffset(new ProducerRecord<>(pipeline.source(), partition,
                key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
    }

    private static Set<String> failing() {
        Set<String> failing = new java.util.HashSet<>();
        for (int i = 1; i < EVENTS; i += 2) {
            failing.add("fail-" + i);
        }
        return failing;
    }

    private static Set<String> deadLettered(KafkaTestBroker broker, Pipeline pipeline) {
        return broker.records(pipeline.deadLetter()).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().filter(e -> !e.getKey().topic().endsWith("-error"))
                .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
    }
}
