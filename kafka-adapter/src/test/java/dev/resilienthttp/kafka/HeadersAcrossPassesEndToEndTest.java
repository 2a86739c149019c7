package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event that fails again and again (a persistent 503) makes 5 passes through the error topic before it is
 * dead-lettered at {@code maxFailCount} 6. Its headers must not grow with the passes (Spring Kafka's stacked
 * exception headers ended in {@code RecordTooLargeException}), and every copy keeps the key and the partition.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class HeadersAcrossPassesEndToEndTest {
    private static final int KEYS = 6;
    private static final int PARTITIONS = 3;
    private static final int MAX_FAIL_COUNT = 6;

    @Test
    void headersStayTheSameSizeAfterFivePassesAndKeysAndPartitionsArePreserved(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "headers", PARTITIONS);
        Map<String, Integer> partitionOf = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "article-" + i;
            partitionOf.put(key, i % PARTITIONS);
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace-id", ("trace-" + i).getBytes(StandardCharsets.UTF_8));
            broker.send(new ProducerRecord<>(pipeline.source(), i % PARTITIONS, key.getBytes(StandardCharsets.UTF_8),
                    ("event-" + i).getBytes(StandardCharsets.UTF_8), headers));
        }
        RecordingListener listener = new RecordingListener();
        try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .maxFailCount(MAX_FAIL_COUNT).retryDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .listener(listener)
                .handler(record -> {
                    throw Failures.status(FailureKind.SERVER_ERROR, 503, "http://api/articles/" + record.key());
                }).build().start()) {
            Await.until("every event dead-lettered after its passes", Duration.ofSeconds(30),
                    () -> listener.routedTo(Route.DEAD_LETTER_TOPIC) == KEYS, processor::failure);
        }
        List<ConsumerRecord<byte[], byte[]>> errorCopies = broker.records(pipeline.error());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
        Map<Integer, List<Integer>> headerBytesByPass = new HashMap<>();
        Map<Integer, List<Integer>> headerCountByPass = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> copy : errorCopies) {
            int pass = Integer.parseInt(RoutingEndToEndTest.header(copy, FailureHeaders.FAIL_COUNT));
            headerBytesByPass.computeIfAbsent(pass, p -> new ArrayList<>()).add(headerBytes(copy));
            headerCountByPass.computeIfAbsent(pass, p -> new ArrayList<>()).add(copy.headers().toArray().length);
        }
        KafkaNumbers.print("headers-5-passes", String.format("events=%d error-copies=%d dead-letter=%d "
                        + "header-count-by-pass=%s header-bytes-by-pass=%s dead-letter-header-bytes=%s", KEYS,
                errorCopies.size(), deadLetters.size(), headerCountByPass, headerBytesByPass,
                deadLetters.stream().map(HeadersAcrossPassesEndToEndTest::headerBytes).collect(Collectors.toList())));

        assertThat(errorCopies).hasSize(KEYS * (MAX_FAIL_COUNT - 1));
        assertThat(deadLetters).hasSize(KEYS);
        assertThat(headerCountByPass.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        headerCountByPass.values().forEach(counts -> assertThat(counts)
                .as("the same headers on every pass").containsOnly(headerCountByPass.get(1).get(0)));
        int firstPass = headerBytesByPass.get(1).stream().mapToInt(Integer::intValue).max().orElseThrow();
        headerBytesByPass.get(5).forEach(bytes -> assertThat(bytes)
                .as("header bytes after 5 passes (an instant's digits may differ)").isBetween(firstPass - 16,
                        firstPass + 16));
        List<ConsumerRecord<byte[], byte[]>> copies = new ArrayList<>(errorCopies);
        copies.addAll(deadLetters);
        assertThat(copies).allSatisfy(copy -> {
            String key = new String(copy.key(), StandardCharsets.UTF_8);
            assertThat(copy.partition()).as("partition of %s", key).isEqualTo(partitionOf.get(key));
            assertThat(copy.headers().headers("trace-id")).as("the user's own header, once").hasSize(1);
            assertThat(StreamSupport.stream(copy.headers().spliterator(), false).map(Header::key)
                    .collect(Collectors.toList())).doesNotHaveDuplicates();
        });
        assertThat(deadLetters).allSatisfy(dead -> assertThat(RoutingEndToEndTest.header(dead,
                FailureHeaders.FAIL_COUNT)).isEqualTo(String.valueOf(MAX_FAIL_COUNT)));
    }

    private static int headerBytes(ConsumerRecord<byte[], byte[]> record) {
        int bytes = 0;
        for (Header header : record.headers()) {
            bytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }
}
