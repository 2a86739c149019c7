package dev.resilienthttp.kafka;

import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A redrive interrupted in the middle keeps what it copied: the next run resumes after it, duplicating nothing. */
@ExtendWith(KafkaTestBroker.Shared.class)
class RedriveInterruptEndToEndTest {
    private static final int RECORDS = 5;

    @Test
    void aRedriveInterruptedAfterThreeCopiesCommitsThemSoTheNextRunCopiesOnlyTheOtherTwo(KafkaTestBroker broker)
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String deadLetter = "interrupted-dlt-" + id;
        String target = "interrupted-target-" + id;
        broker.createTopic(deadLetter, 1, Map.of());
        broker.createTopic(target, 1, Map.of());
        for (int i = 0; i < RECORDS; i++) {
            broker.send(new ProducerRecord<>(deadLetter, 0, ("article-" + i).getBytes(StandardCharsets.UTF_8),
                    ("event-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        Redrive.Builder redrive = Redrive.builder()
                .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "interrupted-redrive-" + id))
                .from(deadLetter).to(target).ratePerSecond(1).maxIdle(Duration.ofSeconds(5));
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                redrive.build().run();
                ended.set(new AssertionError("the first run was not interrupted"));
            } catch (Throwable e) {
                ended.set(e);
            }
        }, "interrupted-redrive");
        first.start();
        try {
            // One copy a second: after the third, the run waits about a second for its rate when it is interrupted.
            Await.until("three copies on the target", Duration.ofSeconds(20),
                    () -> targetSize(broker, target) >= 3, ended::get);
            first.interrupt();
        } finally {
            first.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertThat(first.isAlive()).isFalse();
        assertThat(ended.get()).as("the interrupted run says so").isInstanceOf(InterruptedException.class);
        long afterFirst = targetSize(broker, target);

        RedriveResult second = redrive.build().run();

        assertThat(afterFirst).as("the first run was interrupted before its fourth copy").isEqualTo(3);
        assertThat(second.moved()).as("the second run resumes after the copies made").isEqualTo(RECORDS - 3);
        assertThat(second.complete()).isTrue();
        assertThat(broker.records(target)).as("each dead-letter record copied once").hasSize(RECORDS);
    }

    private static long targetSize(KafkaTestBroker broker, String target) {
        return broker.endOffsets(target).values().stream().mapToLong(Long::longValue).sum();
    }
}
