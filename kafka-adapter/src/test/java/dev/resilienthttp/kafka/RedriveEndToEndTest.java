package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.kafka.internal.HeaderValues;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead-lettered events moved back to their source topic once the cause is fixed: a dry run that only counts, a
 * filter by kind, a limit and a resumed second run, all through the real broker while the processor runs.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class RedriveEndToEndTest {
    private static final int GONE = 10;
    private static final int FORBIDDEN = 4;

    @Test
    void redrivingTheDeadLetteredNotFoundEventsReprocessesEachOnceAndADryRunMovesNothing(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "redrive", 2);
        AtomicBoolean fixed = new AtomicBoolean();
        Set<String> reprocessed = ConcurrentHashMap.newKeySet();
        Map<String, Integer> handledAfterFix = new ConcurrentHashMap<>();
        RecordingListener listener = new RecordingListener();
        try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .listener(listener)
                .handler(record -> {
                    if (record.value().startsWith("forbidden")) {
                        throw Failures.status(FailureKind.FORBIDDEN, 403, "http://api/articles/" + record.key());
                    }
                    if (!fixed.get()) {
                        throw Failures.status(FailureKind.CLIENT_ERROR, 404, "http://api/articles/" + record.key());
                    }
                    reprocessed.add(record.value());
                    handledAfterFix.merge(record.value(), 1, Integer::sum);
                }).build().start()) {
            for (int i = 0; i < GONE + FORBIDDEN; i++) {
                String value = i < GONE ? "gone-" + i : "forbidden-" + i;
                broker.send(record(pipeline, i, value));
            }
            Await.until("every event dead-lettered", Duration.ofSeconds(20),
                    () -> listener.routedTo(Route.DEAD_LETTER_TOPIC) == GONE + FORBIDDEN, processor::failure);
            Map<TopicPartition, Long> sourceEndBefore = broker.endOffsets(pipeline.source());
            String group = pipeline.group() + "-redrive";

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = RedriveCommand.run(new String[]{"--bootstrap-server", broker.bootstrapServers(),
                    "--from", pipeline.deadLetter(), "--group", group, "--kind", "CLIENT_ERROR", "--dry-run"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            String dryRun = out.toString(StandardCharsets.UTF_8).trim();
            Map<TopicPartition, Long> sourceEndAfterDryRun = broker.endOffsets(pipeline.source());
            Map<TopicPartition, Long> groupAfterDryRun = broker.committed(group);

            fixed.set(true);
            Redrive.Builder redrive = Redrive.builder()
                    .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG, group))
                    .from(pipeline.deadLetter()).kinds("CLIENT_ERROR").ratePerSecond(50)
                    .maxIdle(Duration.ofSeconds(5));
            long started = System.nanoTime();
            RedriveResult first = redrive.limit(6).build().run();
            RedriveResult second = Redrive.builder()
                    .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG, group))
                    .from(pipeline.deadLetter()).kinds("CLIENT_ERROR").ratePerSecond(50)
                    .maxIdle(Duration.ofSeconds(5)).build().run();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            RedriveResult third = redrive.limit(100).build().run();
            Await.until("every redriven event reprocessed", Duration.ofSeconds(20),
                    () -> reprocessed.size() == GONE && pipeline.committedToEnd(pipeline.source()),
                    () -> reprocessed + " " + processor.failure());

            List<ConsumerRecord<byte[], byte[]>> redriven = broker.records(pipeline.source()).stream()
                    .filter(r -> HeaderValues.text(r.headers(), FailureHeaders.KIND) != null)
                    .collect(Collectors.toList());
            KafkaNumbers.print("redrive", String.format("dead-lettered=%d dry-run=\"%s\" first=\"%s\" second=\"%s\" "
                            + "third=\"%s\" redriven=%d reprocessed=%d took=%dms dead-letter-after=%d",
                    GONE + FORBIDDEN, dryRun, first, second, third, redriven.size(), reprocessed.size(),
                    took.toMillis(), broker.records(pipeline.deadLetter()).size()));

            assertThat(status).isZero();
            assertThat(dryRun).contains("dry run: " + (GONE + FORBIDDEN) + " scanned, " + GONE + " matched, 0 moved");
            assertThat(sourceEndAfterDryRun).as("a dry run produces nothing").isEqualTo(sourceEndBefore);
            assertThat(groupAfterDryRun).as("a dry run commits nothing").isEmpty();
            assertThat(first.moved()).isEqualTo(6);
            assertThat(first.complete()).isFalse();
            assertThat(second.moved()).as("the second run resumes where the first stopped").isEqualTo(GONE - 6);
            assertThat(second.complete()).isTrue();
            assertThat(third.scanned()).as("nothing is left for a third run").isZero();
            assertThat(took).as("at most 50 records a second").isGreaterThanOrEqualTo(Duration.ofMillis(
                    (GONE - 2) * 1000L / 50));
            assertThat(reprocessed).hasSize(GONE).allMatch(v -> v.startsWith("gone"));
            assertThat(handledAfterFix.values()).as("each reprocessed once").allMatch(n -> n == 1);
            assertThat(redriven).hasSize(GONE).allSatisfy(r -> {
                assertThat(r.partition()).isEqualTo(HeaderValues.int32(r.headers(), FailureHeaders.ORIGINAL_PARTITION));
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).startsWith("gone");
            });
            assertThat(broker.records(pipeline.deadLetter())).as("redrive copies, it deletes nothing")
                    .hasSize(GONE + FORBIDDEN);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(Pipeline pipeline, int i, String value) {
        return new ProducerRecord<>(pipeline.source(), i % 2, ("article-" + i).getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
