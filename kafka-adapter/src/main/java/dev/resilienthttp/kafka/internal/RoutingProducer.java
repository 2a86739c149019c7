package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Produces routed copies without waiting: each copy's acknowledgement (or failure) reaches the loop through a
 * callback, which the producer runs within {@code delivery.timeout.ms}. A producer that failed for a reason a new one
 * cures (its idempotent sequence is broken, it was fenced or closed) is replaced before the next copy.
 */
final class RoutingProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingProducer.class);

    private final Supplier<Producer<byte[], byte[]>> factory;
    private final TargetPartitions targets;
    private Producer<byte[], byte[]> producer;

    RoutingProducer(Producer<byte[], byte[]> first, Supplier<Producer<byte[], byte[]>> factory,
                    TargetPartitions targets) {
        this.producer = first;
        this.factory = factory;
        this.targets = targets;
    }

    /**
     * Sends {@code record}, the copy of the record at {@code source}, once its topic is known to have its partition;
     * {@code acked} gets {@code null} once the brokers acknowledged it, or why they did not, and the producer that sent
     * it. It runs once, on the producer's thread, or on this one if the send failed at once.
     */
    void send(TopicPartition source, ProducerRecord<byte[], byte[]> record,
              BiConsumer<Exception, Producer<byte[], byte[]>> acked) {
        Producer<byte[], byte[]> sender;
        try {
            sender = current();
        } catch (KafkaException e) {
            acked.accept(e, null);
            return;
        }
        try {
            targets.check(source, record.topic(), sender);
            sender.send(record, (metadata, error) -> acked.accept(error, sender));
        } catch (KafkaException | IllegalStateException e) {
            acked.accept(e, sender);
        }
    }

    private Producer<byte[], byte[]> current() {
        if (producer == null) {
            producer = factory.get();
        }
        return producer;
    }

    /** {@code sender} failed with {@code error}: replaces it if a new producer cures that, and it is still ours. */
    void failed(Exception error, Producer<byte[], byte[]> sender) {
        if (error instanceof RetriableException || sender == null || sender != producer
                || ProduceErrors.cannotSucceed(error)) {
            return;
        }
        LOG.warn("replacing the routing producer after {}", error.toString());
        producer = null;
        try {
            sender.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing the failed producer failed too", e);
        }
    }

    /** Closes the producer, waiting at most {@code within} for records in flight. */
    void close(Duration within) {
        if (producer != null) {
            producer.close(within);
            producer = null;
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
