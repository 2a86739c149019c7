package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.kafka.EventHandler;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.ProcessorListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop while a host is blocked, on Kafka's MockConsumer: nothing is routed, whatever held the record before. */
class ProcessorLoopBlockTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final Duration MAX_HOLD = Duration.ofMillis(200);

    @Test
    void aHeldRecordWhoseProbeMeetsTheBlockIsNotRoutedWhenItsMaxHoldPasses() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        EventHandler<String, String> handler = record -> {
            // First an open circuit refuses the call (held), then the probe meets the operators' block.
            throw refused(calls.incrementAndGet() == 1 ? FailureKind.CIRCUIT_OPEN : FailureKind.BLOCKED);
        };
        AtomicLong heldAt = new AtomicLong();
        CountDownLatch blocked = new CountDownLatch(1);
        List<String> routed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ProcessorListener listener = new ProcessorListener() {
            @Override
            public void held(TopicPartition partition, long offset, String reason) {
                heldAt.compareAndSet(0, System.nanoTime());
            }

            @Override
            public void blocked(TopicPartition partition, long offset, String reason) {
                blocked.countDown();
            }

            @Override
            public void routed(TopicPartition partition, long offset, dev.resilienthttp.kafka.Route route,
                               String kind, int failCount) {
                routed.add(route + " " + kind);
            }
        };
        PatientConsumer consumer = new PatientConsumer();
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "w".getBytes(StandardCharsets.UTF_8),
                    "v".getBytes(StandardCharsets.UTF_8)));
        });
        MockProducer<byte[], byte[]> producer = producer();
        ProcessorLoop<String, String> loop = new ProcessorLoop<>(settings(listener), consumer, producer,
                () -> producer, Handlers.blocking(handler, 4, false, "block-test"));
        Thread thread = new Thread(loop, "block-test-loop");
        thread.start();
        try {
            assertThat(blocked.await(10, TimeUnit.SECONDS)).as("the probe meets the block").isTrue();
            int pollsAtBlock = consumer.polls.get();
            // The loop turns (polls) well past maxHold after the first refusal; the old code routed the record then.
            Await.until("three times maxHold passed since the refusal, the loop turning all along",
                    Duration.ofSeconds(10),
                    () -> System.nanoTime() - heldAt.get() > 3 * MAX_HOLD.toNanos()
                            && consumer.polls.get() > pollsAtBlock + 5,
                    () -> "polls " + consumer.polls.get());
        } finally {
            loop.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.failure()).isNull();
        assertThat(calls).as("the record ran twice: refused, then blocked").hasValue(2);
        assertThat(routed).as("nothing routed while the host is blocked").isEmpty();
        assertThat(producer.history()).as("nothing produced while the host is blocked").isEmpty();
    }

    private static HttpFailureException refused(FailureKind kind) {
        return new HttpFailureException(new FailureReport("POST", "https://api.test/articles", Instant.now(),
                Duration.ZERO, List.of(), kind, "refused before any attempt"), null, null);
    }

    /** A MockProducer that knows the error and dead-letter topics, so that a copy routed to them is sent. */
    static MockProducer<byte[], byte[]> producer() {
        Node node = new Node(0, "127.0.0.1", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        for (String topic : List.of("t", "t-error", "t-dlt")) {
            for (int p = 0; p < 2; p++) {
                partitions.add(new PartitionInfo(topic, p, node, new Node[]{node}, new Node[]{node}));
            }
        }
        Cluster cluster = new Cluster("c", List.of(node), partitions, Set.of(), Set.of());
        return new MockProducer<>(cluster, true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProcessorSettings<String, String> settings(ProcessorListener listener) {
        Backoff fast = new Backoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(100), Backoff.Spread.NONE,
                ThreadLocalRandom::current);
        // The probe runs at 100 ms and the next at 300 ms: between them maxHold (200 ms) passes with the record held.
        Backoff holdRetry = new Backoff(MAX_HOLD.dividedBy(2), 2.0, Duration.ofSeconds(10), Backoff.Spread.NONE,
                ThreadLocalRandom::current);
        return new ProcessorSettings<>(Map.of(), Map.of(), List.of("t"), "t-error", "t-dlt", Serdes.String(),
                Serdes.String(), () -> null, 4, FailureFields.headers(), 3, 5, fast, fast, holdRetry,
                MAX_HOLD, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(50),
                Duration.ofSeconds(1), () -> false, Clock.systemUTC(), listener);
    }
}
