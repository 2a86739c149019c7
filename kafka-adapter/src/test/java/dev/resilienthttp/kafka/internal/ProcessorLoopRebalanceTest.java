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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop through a rebalance, on Kafka's MockConsumer: what it does with the runs of the partitions it loses. */
class ProcessorLoopRebalanceTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    /** The revocation waits half of it for the revoked partitions' runs (the builder's commitTimeout). */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void aRebalanceCancelsTheRunsItAbandonsAndTheirKeysNextRecordStartsOnlyOnceThoseEnded() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger runningOfKeyA = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Integer> handled = new CopyOnWriteArrayList<>();
        CountDownLatch nextRan = new CountDownLatch(1);
        EventHandler<String, String> handler = record -> {
            mostAtOnce.accumulateAndGet(runningOfKeyA.incrementAndGet(), Math::max);
            try {
                if (record.partition() == 0) {
                    stuck.countDown();
                    try {
                        // A call that outlasts the revocation's wait; only an interrupt ends it sooner.
                        new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                }
                handled.add(record.partition());
                nextRan.countDown();
            } finally {
                runningOfKeyA.decrementAndGet();
            }
        };
        PatientConsumer consumer = new PatientConsumer();
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(record(P0, "a"));
        });
        ProcessorLoop<String, String> loop = new ProcessorLoop<>(settings(), consumer,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                () -> new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Handlers.blocking(handler, 4, false, "rebalance-test"));
        Thread thread = new Thread(loop, "rebalance-test-loop");
        thread.start();
        long interruptsBeforeNextRan;
        try {
            assertThat(stuck.await(10, TimeUnit.SECONDS)).as("a@0 runs").isTrue();
            // a@1 is fetched (it waits behind a@0, its key's), then P0 goes to another member. One task a poll.
            consumer.schedulePollTask(() -> consumer.addRecord(record(P1, "a")));
            consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));
            assertThat(nextRan.await(10, TimeUnit.SECONDS)).as("a@1 runs").isTrue();
            interruptsBeforeNextRan = 1 - interrupted.getCount();
        } finally {
            loop.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.failure()).isNull();
        assertThat(handled).as("a's next record ran, once the abandoned run ended").containsExactly(1);
        assertThat(mostAtOnce).as("never two records of key a at once").hasValue(1);
        assertThat(interruptsBeforeNextRan).as("the abandoned run was cancelled before a@1 ran").isEqualTo(1);
    }

    @Test
    void aRecordWhoseHandlerEndsAsItsPartitionIsRevokedIsCommittedForTheNextOwner() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventHandler<String, String> handler = record -> {
            running.countDown();
            release.await(10, TimeUnit.SECONDS);
        };
        Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        ProcessorListener listener = new ProcessorListener() {
            @Override
            public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
                offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            }
        };
        PatientConsumer consumer = new PatientConsumer();
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(record(P0, "a"));
        });
        ProcessorLoop<String, String> loop = new ProcessorLoop<>(settings(listener), consumer,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                () -> new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Handlers.blocking(handler, 4, false, "revoke-commit-test"));
        Thread thread = new Thread(loop, "revoke-commit-test-loop");
        thread.start();
        try {
            assertThat(running.await(10, TimeUnit.SECONDS)).as("a@0 runs").isTrue();
            CountDownLatch woken = new CountDownLatch(1);
            consumer.woken = woken;
            consumer.schedulePollTask(() -> {
                // Inside the loop's poll: the handler ends, its end wakes the consumer, then P0 goes to another member.
                release.countDown();
                try {
                    woken.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                consumer.rebalance(List.of(P1));
            });

            Await.until("the finished record of the revoked partition committed", Duration.ofSeconds(10),
                    () -> committed.getOrDefault(P0, 0L) == 1L, () -> "committed " + committed);
        } finally {
            loop.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.failure()).isNull();
    }

    @Test
    void aCloseDuringARevocationStillCommitsTheRecordThatEndedInTheRevocationsWait() throws Exception {
        // The revocation waits up to commitTimeout for P0's run: the stop and the run's end both come within it.
        Duration commitTimeout = Duration.ofSeconds(5);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventHandler<String, String> handler = record -> {
            running.countDown();
            release.await(10, TimeUnit.SECONDS);
        };
        Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        ProcessorListener listener = new ProcessorListener() {
            @Override
            public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
                offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            }
        };
        PatientConsumer consumer = new PatientConsumer();
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(record(P0, "a"));
        });
        ProcessorLoop<String, String> loop = new ProcessorLoop<>(settings(listener, commitTimeout,
                commitTimeout.multipliedBy(2)), consumer,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                () -> new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Handlers.blocking(handler, 4, false, "close-in-revocation-test"));
        Thread thread = new Thread(loop, "close-in-revocation-test-loop");
        // close() calls stop() on its own thread; MockConsumer's wakeup() then waits for the poll to end.
        Thread stopper = new Thread(loop::stop, "close-in-revocation-test-stopper");
        thread.start();
        try {
            assertThat(running.await(10, TimeUnit.SECONDS)).as("a@0 runs").isTrue();
            CountDownLatch revoking = new CountDownLatch(1);
            CountDownLatch woken = new CountDownLatch(1);
            consumer.woken = woken;
            consumer.schedulePollTask(() -> {
                revoking.countDown();
                consumer.rebalance(List.of(P1));     // the loop's onPartitionsRevoked waits for a@0's run
            });
            assertThat(revoking.await(10, TimeUnit.SECONDS)).as("P0 being revoked").isTrue();
            stopper.start();
            assertThat(woken.await(10, TimeUnit.SECONDS)).as("stopping, a wake-up pending").isTrue();
            release.countDown();                     // a@0 ends within the revocation's wait
        } finally {
            release.countDown();
            if (!stopper.isAlive()) {
                loop.stop();
            }
            thread.join(TimeUnit.SECONDS.toMillis(30));
            stopper.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(stopper.isAlive()).isFalse();
        assertThat(loop.failure()).isNull();
        assertThat(committed).as("the revoked partition's done record committed for the next owner")
                .containsEntry(P0, 1L);
    }

    @Test
    void aFinalCommitThatTimesOutIsTriedOnceMoreAsTheConsumersCloseRevokesItsPartitions() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventHandler<String, String> handler = record -> {
            running.countDown();
            release.await(10, TimeUnit.SECONDS);
        };
        Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        ProcessorListener listener = new ProcessorListener() {
            @Override
            public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
                offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            }
        };
        PatientConsumer consumer = new PatientConsumer();
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(record(P0, "a"));
        });
        ProcessorLoop<String, String> loop = new ProcessorLoop<>(settings(listener), consumer,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                () -> new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Handlers.blocking(handler, 4, false, "final-commit-timeout-test"));
        Thread thread = new Thread(loop, "final-commit-timeout-test-loop");
        thread.start();
        try {
            assertThat(running.await(10, TimeUnit.SECONDS)).as("a@0 runs").isTrue();
            // Nothing is done before the stop, so the first commit that reaches the brokers is the final one.
            consumer.nextCommitFails = new org.apache.kafka.common.errors.TimeoutException("commit timed out");
            loop.stop();
            release.countDown();                     // a@0 ends within the close's wait, then the final commit fails
        } finally {
            release.countDown();
            loop.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.failure()).isNull();
        assertThat(consumer.nextCommitFails).as("the final commit met the timeout").isNull();
        assertThat(committed).as("the done record committed by the end of the close").containsEntry(P0, 1L);
    }

    @Test
    void aRevocationWaitsForTheRevokedRunsNoLongerThanCommitTimeoutHoweverLongCloseTimeoutIs() throws Exception {
        // The builder makes commitTimeout at most a quarter of max.poll.interval.ms: the revocation runs inside poll().
        Duration commitTimeout = Duration.ofMillis(250);
        Duration closeTimeout = Duration.ofSeconds(20);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        EventHandler<String, String> handler = record -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(20, TimeUnit.SECONDS);   // a call longer than any wait here
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        };
        PatientConsumer consumer = new PatientConsumer();
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(record(P0, "a"));
        });
        ProcessorLoop<String, String> loop = new ProcessorLoop<>(settings(new ProcessorListener() { }, commitTimeout,
                closeTimeout), consumer,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                () -> new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Handlers.blocking(handler, 4, false, "revocation-bound-test"));
        Thread thread = new Thread(loop, "revocation-bound-test-loop");
        thread.start();
        AtomicLong revocationNanos = new AtomicLong(-1);
        CountDownLatch revoked = new CountDownLatch(1);
        try {
            assertThat(running.await(10, TimeUnit.SECONDS)).as("a@0 runs").isTrue();
            consumer.schedulePollTask(() -> {
                long revoking = System.nanoTime();
                consumer.rebalance(List.of(P1));     // runs the loop's onPartitionsRevoked for P0, inside the poll
                revocationNanos.set(System.nanoTime() - revoking);
                revoked.countDown();
            });
            assertThat(revoked.await(30, TimeUnit.SECONDS)).as("P0 revoked").isTrue();
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the abandoned run was cancelled").isTrue();
        } finally {
            loop.stop();
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.failure()).isNull();
        assertThat(Duration.ofNanos(revocationNanos.get())).as("the revocation's wait, within commitTimeout and slack; "
                + "half of closeTimeout would be 10 s").isLessThan(commitTimeout.plusSeconds(1));
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, String key) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), 0, key.getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8));
    }

    private static ProcessorSettings<String, String> settings() {
        return settings(new ProcessorListener() { });
    }

    private static ProcessorSettings<String, String> settings(ProcessorListener listener) {
        return settings(listener, CLOSE_TIMEOUT.dividedBy(2), CLOSE_TIMEOUT);
    }

    private static ProcessorSettings<String, String> settings(ProcessorListener listener, Duration commitTimeout,
                                                              Duration closeTimeout) {
        Backoff fast = new Backoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(100), Backoff.Spread.NONE,
                java.util.concurrent.ThreadLocalRandom::current);
        return new ProcessorSettings<>(Map.of(), Map.of(), List.of("t"), "t-error", "t-dlt", Serdes.String(),
                Serdes.String(), () -> null, 4, FailureFields.headers(), 3, 5, fast, fast, fast,
                Duration.ofSeconds(10), Duration.ofMillis(100), commitTimeout, Duration.ofMillis(50),
                closeTimeout, () -> false, Clock.systemUTC(), listener);
    }
}
