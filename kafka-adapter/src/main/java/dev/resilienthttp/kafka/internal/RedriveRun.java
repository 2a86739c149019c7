package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.FailureHeaders;
import dev.resilienthttp.kafka.RedriveResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One redrive: reads the dead-letter topic from the group's committed offsets up to its end as it was at the start,
 * copies each matching record to its target, and commits past a record only once its copy is acknowledged (or it
 * did not match). The dead-letter records stay where they are: Kafka cannot delete one record, and the group's
 * offsets are what makes a second run resume instead of repeating.
 */
public final class RedriveRun {
    private static final Logger LOG = LoggerFactory.getLogger(RedriveRun.class);
    /**
     * The commit of an interrupted run: whoever interrupted it wants it to stop, not to wait the consumer's
     * {@code default.api.timeout.ms} (60 s) for brokers that do not answer; a few seconds cover a slow round trip.
     */
    static final Duration INTERRUPTED_COMMIT_TIMEOUT = Duration.ofSeconds(5);

    private final RedriveSettings settings;
    private final Map<String, Integer> targetPartitions = new HashMap<>();
    private final Map<TopicPartition, Long> done = new HashMap<>();
    private long scanned;
    private long matched;
    private long moved;

    public RedriveRun(RedriveSettings settings) {
        this.settings = settings;
    }

    public RedriveResult run() throws InterruptedException {
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             Producer<byte[], byte[]> producer = settings.dryRun() ? null : new KafkaProducer<>(
                     settings.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(settings.from()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset != null) {
                    consumer.seek(partition, offset.offset());
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
            boolean complete;
            try {
                complete = copyUntilEnd(consumer, producer, partitions, end);
            } catch (InterruptedException | InterruptException e) {
                commitBeforeStopping(consumer, e);
                throw e;
            }
            commit(consumer);
            return new RedriveResult(scanned, matched, moved, settings.dryRun(), complete);
        }
    }

    private boolean copyUntilEnd(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                                 List<TopicPartition> partitions, Map<TopicPartition, Long> end)
            throws InterruptedException {
        Pacer pacer = new Pacer(settings.ratePerSecond());
        long idleSince = System.nanoTime();
        while (!reachedEnd(consumer, partitions, end)) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(settings.pollTimeout());
            if (batch.isEmpty()) {
                if (System.nanoTime() - idleSince > settings.maxIdle().toNanos()) {
                    LOG.warn("redrive of {} found no records for {} before reaching the end; stopping",
                            settings.from(), settings.maxIdle());
                    return false;
                }
                continue;
            }
            idleSince = System.nanoTime();
            for (TopicPartition partition : batch.partitions()) {
                for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
                    if (record.offset() >= end.get(partition)) {
                        break;
                    }
                    if (matched >= settings.limit()) {
                        return false;
                    }
                    copy(consumer, producer, partition, record, pacer);
                }
            }
            commit(consumer);
        }
        return true;
    }

    private void copy(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, TopicPartition partition,
                      ConsumerRecord<byte[], byte[]> record, Pacer pacer) throws InterruptedException {
        scanned++;
        String target = settings.to() != null ? settings.to()
                : HeaderValues.text(record.headers(), FailureHeaders.ORIGINAL_TOPIC);
        if (!settings.filter().matches(record.headers())) {
            done.put(partition, record.offset() + 1);
            return;
        }
        if (target == null) {
            LOG.warn("{}@{} has no {} header and no target was given: left in place", partition, record.offset(),
                    FailureHeaders.ORIGINAL_TOPIC);
            done.put(partition, record.offset() + 1);
            return;
        }
        matched++;
        if (settings.dryRun()) {
            return;
        }
        pacer.acquire();
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(target, partition(producer, target, record), null,
                record.key(), record.value(), record.headers());
        try {
            producer.send(copy).get(settings.produceTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            commit(consumer);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new KafkaException("redrive stopped at " + partition + "@" + record.offset() + " (" + moved
                    + " moved and committed; run it again to resume): " + cause, cause);
        }
        moved++;
        done.put(partition, record.offset() + 1);
    }

    /** The original partition when the target has it, so the event rejoins its key's order; else the key decides. */
    private Integer partition(Producer<byte[], byte[]> producer, String target, ConsumerRecord<byte[], byte[]> record) {
        Integer original = HeaderValues.int32(record.headers(), FailureHeaders.ORIGINAL_PARTITION);
        if (original == null) {
            return null;
        }
        int count = targetPartitions.computeIfAbsent(target, topic -> {
            List<PartitionInfo> infos = producer.partitionsFor(topic);
            return infos == null ? 0 : infos.size();
        });
        return original < count ? original : null;
    }

    private boolean reachedEnd(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                               Map<TopicPartition, Long> end) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < end.get(partition)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An interrupt stops the run (waiting for its rate, for an acknowledgement, or in a poll): the copies already
     * acknowledged are committed first, so that the next run does not copy them again. The interrupt is kept.
     */
    private void commitBeforeStopping(Consumer<byte[], byte[]> consumer, Exception e) {
        // Kafka's InterruptException sets the flag again, and a commit with the flag set fails at once.
        boolean flagged = Thread.interrupted();
        try {
            commit(consumer, INTERRUPTED_COMMIT_TIMEOUT);
            LOG.warn("redrive of {} interrupted; {} moved and committed, run it again to resume", settings.from(),
                    moved);
        } catch (RuntimeException commitFailed) {
            e.addSuppressed(commitFailed);
        } finally {
            if (flagged) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void commit(Consumer<byte[], byte[]> consumer) {
        commit(consumer, null);
    }

    /** @param timeout the commit's bound, or {@code null} for the consumer's {@code default.api.timeout.ms} */
    private void commit(Consumer<byte[], byte[]> consumer, Duration timeout) {
        if (settings.dryRun() || done.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        done.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        if (timeout == null) {
            consumer.commitSync(offsets);
        } else {
            consumer.commitSync(offsets, timeout);
        }
        done.clear();
    }
}
