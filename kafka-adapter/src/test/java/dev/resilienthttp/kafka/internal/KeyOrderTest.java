package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which record runs next: the slots, the keys' order, held records first. */
class KeyOrderTest {
    @Test
    void recordsOfDifferentKeysRunAtOnceUpToTheLimit() {
        KeyOrder order = new KeyOrder(2);
        Work first = work("t", 0, 0, "a");
        order.add(first);
        order.add(work("t", 0, 1, "b"));
        order.add(work("t", 0, 2, "c"));
        assertThat(offsets(drain(order, false))).containsExactly(0L, 1L);
        assertThat(order.running()).isEqualTo(2);
        assertThat(drain(order, false)).as("no slot left").isEmpty();
        order.finished(first);
        assertThat(offsets(drain(order, false))).as("the freed slot").containsExactly(2L);
    }

    @Test
    void aKeysNextRecordWaitsUntilTheOneBeforeItFinishesWhateverPartitionItCameFrom() {
        KeyOrder order = new KeyOrder(10);
        Work first = work("source", 0, 5, "a");
        order.add(first);
        order.add(work("error", 3, 1, "a"));
        order.add(work("source", 0, 6, "b"));
        assertThat(offsets(drain(order, false))).containsExactly(5L, 6L);
        order.finished(first);
        List<Work> next = drain(order, false);
        assertThat(next).extracting(w -> w.partition.topic()).containsExactly("error");
    }

    @Test
    void recordsWithoutAKeyKeepTheirPartitionsOrder() {
        KeyOrder order = new KeyOrder(10);
        Work first = work("t", 0, 0, null);
        order.add(first);
        order.add(work("t", 0, 1, null));
        order.add(work("t", 1, 0, null));
        assertThat(drain(order, false)).extracting(w -> w.partition.partition()).containsExactly(0, 1);
        order.finished(first);
        assertThat(offsets(drain(order, false))).containsExactly(1L);
    }

    @Test
    void aHeldRecordKeepsItsKeyAndRunsFirstWhenReleasedEvenWhileTheProcessorHolds() {
        KeyOrder order = new KeyOrder(1);
        Work held = work("t", 0, 0, "a");
        order.add(held);
        order.add(work("t", 0, 1, "a"));
        order.add(work("t", 0, 2, "b"));
        assertThat(drain(order, false)).containsExactly(held);
        order.hold(held);
        assertThat(order.hasHeld()).isTrue();
        assertThat(drain(order, true)).as("holding: nothing new starts").isEmpty();
        assertThat(order.releaseHeld()).isEqualTo(1);
        assertThat(drain(order, true)).containsExactly(held);
        order.finished(held);
        assertThat(offsets(drain(order, false))).as("b was ready first, then a's next").containsExactly(2L);
    }

    @Test
    void revokedPartitionsLeaveNothingQueuedAndHandTheirKeysOnOnceTheirAbandonedRunsEnd() {
        KeyOrder order = new KeyOrder(10);
        Work running = work("t", 0, 0, "a");
        order.add(running);
        order.add(work("t", 0, 1, "b"));
        order.add(work("t", 1, 0, "a"));
        assertThat(drain(order, false)).hasSize(2);
        order.forget(Set.of(new TopicPartition("t", 0)));
        assertThat(running.abandoned).isTrue();
        assertThat(drain(order, false)).as("a's next record waits: a's abandoned run still runs").isEmpty();
        order.finished(running);
        assertThat(drain(order, false)).extracting(w -> w.partition.partition()).containsExactly(1);
        assertThat(order.running()).as("b's abandoned run, and a's next record").isEqualTo(2);
        assertThat(drain(order, false)).as("nothing of the revoked partition runs again").isEmpty();
    }

    @Test
    void aRecordFetchedAgainAfterItsPartitionCameBackWaitsForItsAbandonedRun() {
        KeyOrder order = new KeyOrder(10);
        Work abandoned = work("t", 0, 0, "a");
        order.add(abandoned);
        assertThat(drain(order, false)).containsExactly(abandoned);
        order.forget(Set.of(new TopicPartition("t", 0)));
        Work again = work("t", 0, 0, "a");
        order.add(again);
        assertThat(drain(order, false)).as("the same record must not run twice at once").isEmpty();
        order.finished(abandoned);
        assertThat(drain(order, false)).containsExactly(again);
    }

    private static List<Work> drain(KeyOrder order, boolean holding) {
        List<Work> started = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Work work = order.next(holding);
            if (work == null) {
                break;
            }
            started.add(work);
        }
        return started;
    }

    private static List<Long> offsets(List<Work> works) {
        return works.stream().map(Work::offset).toList();
    }

    private static Work work(String topic, int partition, long offset, String key) {
        return new Work(new ConsumerRecord<>(topic, partition, offset,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), new byte[0]));
    }
}
