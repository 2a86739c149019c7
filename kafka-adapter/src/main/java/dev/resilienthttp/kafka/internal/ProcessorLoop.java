package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.ProcessorListener;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The consumer loop of a {@code ResilientEventProcessor}: one thread owns the consumer and the producer. Each turn
 * it lifts a block if it may, resumes partitions that are due, retries routed copies that failed to produce, polls,
 * processes the batch partition by partition, and commits what is done.
 *
 * <p>A partition stops at its first record that is not done (not due, not routed yet, blocked), and the consumer
 * is sought back to it, so the next poll fetches it again and nothing after it is committed.
 */
public final class ProcessorLoop<K, V> implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorLoop.class);

    private final ProcessorSettings<K, V> settings;
    private final Consumer<byte[], byte[]> consumer;
    private final RoutingProducer producer;
    private final RecordProcessor<K, V> records;
    private final ProcessorListener listener;
    private final PartitionProgress progress = new PartitionProgress();
    private final Waits waits;
    private final Block block;
    private int errorsInARow;
    private volatile boolean stopping;
    private volatile Throwable failure;

    public ProcessorLoop(ProcessorSettings<K, V> settings, Consumer<byte[], byte[]> consumer,
                         Producer<byte[], byte[]> producer, Supplier<Producer<byte[], byte[]>> producers) {
        this.settings = settings;
        this.consumer = consumer;
        this.producer = new RoutingProducer(producer, producers, settings.produceTimeout());
        this.records = new RecordProcessor<>(settings);
        this.listener = new SafeProcessorListener(settings.listener());
        this.waits = new Waits(settings.clock(), settings.produceBackoff());
        this.block = new Block(settings.blockLifted(), listener);
    }

    /** Asks the loop to end; thread-safe. The loop commits what is done and closes its clients. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    /** Asks the loop to resume after a block; thread-safe. */
    public void resume() {
        block.requestResume();
    }

    /** The error that ended the loop, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(settings.topics(), new Rebalance());
            while (!stopping) {
                turn();
            }
        } catch (Error | RuntimeException e) {
            failure = e;
            LOG.error("the processor stopped: nothing past its last done record is committed", e);
            throw e;
        } finally {
            shutdown();
        }
    }

    private void turn() {
        try {
            if (block.isBlocked() && block.tryLift()) {
                consumer.assignment().forEach(this::resumeIfFree);
            }
            waits.resumeDue(this::resumeIfFree);
            retryPendingCopies();
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(settings.pollTimeout());
            process(batch);
            commit(consumer.assignment());
            errorsInARow = 0;
        } catch (WakeupException e) {
            // stop() woke the consumer: the loop condition ends the loop.
        } catch (InterruptedException | InterruptException e) {
            // close() interrupted the handler or a wait after its grace period: the record in hand is not done.
            stopping = true;
        } catch (KafkaException | IllegalStateException | IllegalArgumentException e) {
            // A broker or group error: fetch every record that is not done again, after a pause that grows.
            errorsInARow++;
            Duration pause = settings.produceBackoff().after(errorsInARow, Duration.ZERO);
            LOG.error("processor turn failed ({} in a row); records not done are fetched again in {}",
                    errorsInARow, pause, e);
            rewindAll();
            sleepQuietly(pause);
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> batch) throws InterruptedException {
        for (TopicPartition partition : batch.partitions()) {
            progress.fetched(partition, batch.records(partition).get(0).offset());
        }
        boolean halted = false;
        for (TopicPartition partition : batch.partitions()) {
            if (halted || stopping) {
                rewind(partition);
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> raw : batch.records(partition)) {
                Halt halt = processOne(partition, raw);
                if (halt != Halt.NONE) {
                    rewind(partition);
                    halted = halt == Halt.ALL;
                    break;
                }
            }
        }
    }

    private enum Halt { NONE, PARTITION, ALL }

    private Halt processOne(TopicPartition partition, ConsumerRecord<byte[], byte[]> raw) throws InterruptedException {
        if (stopping) {
            return Halt.ALL;
        }
        Step step = records.process(raw);
        switch (step.kind) {
            case DONE:
                progress.done(partition, raw.offset());
                listener.handled(partition, raw.offset());
                return Halt.NONE;
            case NOT_DUE:
                waits.delay(partition, step.notBefore);
                consumer.pause(Set.of(partition));
                listener.delayed(partition, raw.offset(), step.notBefore);
                return Halt.PARTITION;
            case PAUSE:
                // A blocked client fails every event the same way: nothing is routed, everything waits.
                consumer.pause(consumer.assignment());
                block.start(partition + "@" + raw.offset(), consumer.assignment().size(), step.reason);
                listener.blocked(partition, raw.offset(), step.reason);
                return Halt.ALL;
            case ROUTE:
                if (produce(partition, raw.offset(), step.copy)) {
                    return Halt.NONE;
                }
                consumer.pause(Set.of(partition));
                return Halt.PARTITION;
            default:
                throw new AssertionError(step.kind);
        }
    }

    /** Produces a routed copy; on failure keeps it for a later try, and the partition waits for it. */
    private boolean produce(TopicPartition partition, long offset, RoutedCopy copy) throws InterruptedException {
        Exception error = producer.send(copy.record());
        if (error == null) {
            waits.produced(partition);
            progress.done(partition, offset);
            listener.routed(partition, offset, copy.route(), copy.kind(), copy.failCount());
            return true;
        }
        Duration retryIn = waits.produceFailed(partition, offset, copy);
        LOG.warn("routing {}@{} to {} failed; nothing past it is committed, next try in {}: {}", partition, offset,
                copy.record().topic(), retryIn, error.toString());
        listener.produceFailed(partition, offset, error, retryIn);
        return false;
    }

    private void retryPendingCopies() throws InterruptedException {
        for (Waits.PendingCopy pending : waits.pendingDue()) {
            if (produce(pending.partition(), pending.offset(), pending.copy())) {
                consumer.seek(pending.partition(), pending.offset() + 1);
                resumeIfFree(pending.partition());
            }
        }
    }

    /** Resumes a partition unless something else still holds it: a block, a due time or an unrouted copy. */
    private void resumeIfFree(TopicPartition partition) {
        if (!block.isBlocked() && !waits.holds(partition) && consumer.assignment().contains(partition)) {
            consumer.resume(Set.of(partition));
        }
    }

    private void rewind(TopicPartition partition) {
        Long next = progress.next(partition);
        if (next != null && consumer.assignment().contains(partition)) {
            consumer.seek(partition, next);
        }
    }

    private void rewindAll() {
        try {
            progress.positions().keySet().forEach(this::rewind);
        } catch (RuntimeException e) {
            LOG.warn("could not seek back; the group's committed offsets still hold", e);
        }
    }

    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = progress.uncommitted(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, settings.commitTimeout());
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("commit of {} failed; it is tried again next turn: {}", offsets, e.toString());
            return;
        }
        progress.committed(offsets);
        listener.committed(offsets);
    }

    private void shutdown() {
        boolean interrupted = Thread.interrupted();
        Duration quarter = settings.closeTimeout().dividedBy(4);
        for (int tries = 0; tries < 2; tries++) {
            try {
                commit(consumer.assignment());
                break;
            } catch (WakeupException e) {
                // A wakeup left over from stop(): it fires once, so the second try runs.
            } catch (RuntimeException e) {
                LOG.warn("the last commit failed; the records after the last committed offset will be redone", e);
                break;
            }
        }
        try {
            consumer.close(CloseOptions.timeout(quarter));
        } catch (RuntimeException e) {
            LOG.warn("closing the consumer failed", e);
        }
        try {
            producer.close(quarter);
        } catch (RuntimeException e) {
            LOG.warn("closing the producer failed", e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void sleepQuietly(Duration pause) {
        try {
            Thread.sleep(Math.max(1, Math.min(pause.toMillis(), settings.closeTimeout().toMillis())));
        } catch (InterruptedException e) {
            stopping = true;
        }
    }

    /** Runs inside {@code poll}, on the loop's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(partitions);
            } catch (RuntimeException e) {
                LOG.warn("commit on revocation failed; the next owner redoes those records", e);
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // A paused partition must not stay paused for a reason this consumer no longer remembers (the bug in
            // spring-kafka#2531): new partitions start running, unless the whole processor is blocked.
            if (block.isBlocked()) {
                consumer.pause(partitions);
            } else {
                consumer.resume(partitions);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            Set<TopicPartition> gone = new HashSet<>(partitions);
            progress.forget(gone);
            waits.forget(gone);
        }
    }
}
