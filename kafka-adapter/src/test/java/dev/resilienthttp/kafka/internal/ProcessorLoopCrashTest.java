package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.kafka.EventHandler;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.ProcessorListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ProcessorLoop#abandon()}, on Kafka's MockConsumer: a crash, not a close. */
class ProcessorLoopCrashTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(4);

    @Test
    void anAbandonedLoopNeitherWaitsForItsRunsNorCommitsWhatWasDoneSinceItsLastCommit() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        EventHandler<String, String> handler = record -> {
            if (record.key().equals("b")) {
                stuck.countDown();
                new CountDownLatch(1).await(20, TimeUnit.SECONDS);   // until cancelled
            }
        };
        CountDownLatch aDone = new CountDownLatch(1);
        List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();
        ProcessorListener listener = new ProcessorListener() {
            @Override
            public void handled(TopicPartition partition, long offset) {
                aDone.countDown();
            }

            @Override
            public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
                commits.add(offsets);
            }
        };
        PatientConsumer consumer = new PatientConsumer();
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.addRecord(record(0, "a"));
            consumer.addRecord(record(1, "b"));
        });
        ProcessorLoop<String, String> loop = new ProcessorLoop<>(settings(listener), consumer,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                () -> new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Handlers.blocking(handler, 4, false, "crash-test"));
        Thread thread = new Thread(loop, "crash-test-loop");
        thread.start();
        long took;
        try {
            assertThat(aDone.await(10, TimeUnit.SECONDS)).as("a@0 done").isTrue();
            assertThat(stuck.await(10, TimeUnit.SECONDS)).as("b@1 runs").isTrue();
            // a@0 is done and committable; b@1 runs, so the next commit waits for the commit interval (10 s).
            long abandoning = System.nanoTime();
            loop.abandon();
            thread.join(TimeUnit.SECONDS.toMillis(20));
            took = Duration.ofNanos(System.nanoTime() - abandoning).toMillis();
        } finally {
            loop.stop();
            thread.join(TimeUnit.SECONDS.toMillis(20));
        }
        Await.until("the consumer closed", Duration.ofSeconds(5), consumer::closed);

        assertThat(thread.isAlive()).isFalse();
        assertThat(took).as("a crash does not wait closeTimeout for the running handler")
                .isLessThan(CLOSE_TIMEOUT.dividedBy(2).toMillis());
        assertThat(commits).as("nothing committed: not at the end, not in the close's revocation").isEmpty();
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key) {
        return new ConsumerRecord<>(P0.topic(), P0.partition(), offset, key.getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8));
    }

    private static ProcessorSettings<String, String> settings(ProcessorListener listener) {
        Backoff fast = new Backoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(100), Backoff.Spread.NONE,
                ThreadLocalRandom::current);
        return new ProcessorSettings<>(Map.of(), Map.of(), List.of("t"), "t-error", "t-dlt", Serdes.String(),
                Serdes.String(), () -> null, 4, FailureFields.headers(), 3, 5, fast, fast, fast,
                Duration.ofSeconds(10), Duration.ofSeconds(10), CLOSE_TIMEOUT.dividedBy(2), Duration.ofMillis(50),
                CLOSE_TIMEOUT, () -> false, Clock.systemUTC(), listener);
    }
}
