package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.ProcessorListener;
import dev.resilienthttp.kafka.Route;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The copy router while the brokers are away: one probe, backoff kept, whatever partitions come and go. */
class CopyRouterTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void revokingTheProbesPartitionMakesTheNextWaitingCopyTheProbeAtTheSameDueTimeInsteadOfSendingEveryCopyAtOnce() {
        Backoff slow = new Backoff(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(30), Backoff.Spread.NONE,
                ThreadLocalRandom::current);
        MockProducer<byte[], byte[]> producer = new MockProducer<>(cluster(), false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        ConcurrentLinkedQueue<Runnable> handedBack = new ConcurrentLinkedQueue<>();
        List<Work> routed = new ArrayList<>();
        List<Exception> cannot = new ArrayList<>();
        CopyRouter router = new CopyRouter(new RoutingProducer(producer, () -> producer,
                new TargetPartitions(settings(slow))), slow, new ProcessorListener() { }, handedBack::add,
                new CopyRouter.Outcomes() {
                    @Override
                    public void routed(Work work) {
                        routed.add(work);
                    }

                    @Override
                    public void cannotRoute(Work work, Exception error) {
                        cannot.add(error);
                    }
                });
        Work a = work(P0, 0);
        Work b = work(P1, 0);
        Work c = work(P1, 1);
        List.of(a, b, c).forEach(router::route);
        for (int i = 0; i < 3; i++) {
            assertThat(producer.errorNext(new NetworkException("brokers away"))).isTrue();
        }
        handedBack.forEach(Runnable::run);
        handedBack.clear();
        long now = System.nanoTime();
        long dueIn = router.nanosToProbe(now);
        assertThat(dueIn).as("a is the probe, due in about 10 s").isGreaterThan(Duration.ofSeconds(5).toNanos())
                .isLessThan(Long.MAX_VALUE);
        assertThat(producer.history()).hasSize(3);

        router.forget(Set.of(P0));     // the probe's partition is revoked; the brokers are still away

        assertThat(producer.history()).as("b and c still wait: nothing sent").hasSize(3);
        assertThat(router.nanosToProbe(now)).as("a new probe is due when the old one was").isEqualTo(dueIn);
        assertThat(router.busyWith(work -> true)).isFalse();

        router.retryDue(now + dueIn);  // the due time comes: one copy, b, is tried; c waits for it
        assertThat(producer.history()).hasSize(4);
        assertThat(producer.history().get(3).partition()).isEqualTo(1);
        assertThat(producer.history().get(3).key()).isEqualTo(b.raw.key());
        assertThat(producer.errorNext(new NetworkException("still away"))).isTrue();
        handedBack.forEach(Runnable::run);
        handedBack.clear();
        assertThat(router.nanosToProbe(System.nanoTime())).as("b's next try backs off from a's failures: 20 s")
                .isGreaterThan(Duration.ofSeconds(15).toNanos());
        assertThat(producer.history()).as("c still waits").hasSize(4);
        assertThat(routed).isEmpty();
        assertThat(cannot).isEmpty();
        router.close(Duration.ZERO);
    }

    private static Work work(TopicPartition partition, long offset) {
        Work work = new Work(new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
                ("k" + partition.partition() + "-" + offset).getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8)));
        work.copy = new RoutedCopy(new ProducerRecord<>("t-error", partition.partition(), null, work.raw.key(),
                work.raw.value()), Route.ERROR_TOPIC, "SERVER_ERROR", 1);
        return work;
    }

    private static Cluster cluster() {
        Node node = new Node(0, "127.0.0.1", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        for (String topic : List.of("t", "t-error", "t-dlt")) {
            for (int p = 0; p < 2; p++) {
                partitions.add(new PartitionInfo(topic, p, node, new Node[]{node}, new Node[]{node}));
            }
        }
        return new Cluster("c", List.of(node), partitions, Set.of(), Set.of());
    }

    private static ProcessorSettings<String, String> settings(Backoff backoff) {
        return new ProcessorSettings<>(Map.of(), Map.of(), List.of("t"), "t-error", "t-dlt", Serdes.String(),
                Serdes.String(), () -> null, 4, FailureFields.headers(), 3, 5, backoff, backoff, backoff,
                Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(50),
                Duration.ofSeconds(1), () -> false, Clock.systemUTC(), new ProcessorListener() { });
    }
}
