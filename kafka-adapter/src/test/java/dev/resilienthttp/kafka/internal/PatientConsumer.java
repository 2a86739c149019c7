package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka's MockConsumer returns from an empty poll at once; this one waits as a real one does, until woken. And as a
 * real one's, a wake-up fails the next blocking call, a commit included, and its close revokes the partitions it has
 * (KafkaConsumer's close leaves the group through the rebalance listener's {@code onPartitionsRevoked}).
 */
final class PatientConsumer extends MockConsumer<byte[], byte[]> {
    private final Semaphore nudges = new Semaphore(0);
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** Counted down by the next wake-up. */
    volatile CountDownLatch woken = new CountDownLatch(1);
    /** Thrown once, by the next commit a wake-up does not fail (e.g. a commit timeout); {@code null}: none. */
    volatile RuntimeException nextCommitFails;
    /** Polls begun, to wait for the loop's turns. */
    final AtomicInteger polls = new AtomicInteger();

    PatientConsumer() {
        super("earliest");
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        polls.incrementAndGet();
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = super.poll(timeout);
        } catch (WakeupException e) {
            wakeupPending.set(false);    // a wake-up fails one call: the poll it ended spent it
            throw e;
        }
        if (records.isEmpty()) {
            try {
                nudges.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
            nudges.drainPermits();
        }
        return records;
    }

    /** First what a real consumer does at once from any thread; MockConsumer's own waits for a poll to end. */
    @Override
    public void wakeup() {
        wakeupPending.set(true);
        woken.countDown();
        nudges.release();
        super.wakeup();
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        if (wakeupPending.getAndSet(false)) {
            throw new WakeupException();
        }
        RuntimeException failure = nextCommitFails;
        if (failure != null) {
            nextCommitFails = null;
            throw failure;
        }
        super.commitSync(offsets, timeout);
    }

    @Override
    public synchronized void close(CloseOptions options) {
        wakeupPending.set(false);        // KafkaConsumer's close disables wake-ups before it leaves the group
        if (!assignment().isEmpty()) {
            rebalance(List.of());
        }
        super.close(options);
    }

    @Override
    public synchronized void schedulePollTask(Runnable task) {
        super.schedulePollTask(task);
        nudges.release();
    }
}
