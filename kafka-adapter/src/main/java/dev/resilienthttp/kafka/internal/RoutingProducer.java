package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Produces one routed copy and waits for its acknowledgement, for a bounded time. A failure is returned, never
 * swallowed: the loop keeps the copy and tries again. A producer that failed for a reason a retry cannot cure (its
 * idempotent sequence is broken, it was fenced or closed) is replaced by a new one before the next try.
 */
final class RoutingProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingProducer.class);

    private final Supplier<Producer<byte[], byte[]>> factory;
    private final Duration timeout;
    private Producer<byte[], byte[]> producer;

    RoutingProducer(Producer<byte[], byte[]> first, Supplier<Producer<byte[], byte[]>> factory, Duration timeout) {
        this.producer = first;
        this.factory = factory;
        this.timeout = timeout;
    }

    /**
     * Sends {@code record} and waits until the brokers acknowledge it.
     *
     * @return {@code null} once acknowledged, or why it was not
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    Exception send(ProducerRecord<byte[], byte[]> record) throws InterruptedException {
        try {
            current().send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            Exception cause = e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            replaceIfIncurable(cause);
            return cause;
        } catch (TimeoutException e) {
            // Longer than delivery.timeout.ms: the producer still owns the batch and will end it; a retry may duplicate.
            return e;
        } catch (InterruptException e) {
            throw (InterruptedException) new InterruptedException("interrupted while producing").initCause(e);
        } catch (KafkaException | IllegalStateException e) {
            replaceIfIncurable(e);
            return e;
        }
    }

    private Producer<byte[], byte[]> current() {
        if (producer == null) {
            producer = factory.get();
        }
        return producer;
    }

    private void replaceIfIncurable(Exception error) {
        if (error instanceof RetriableException || producer == null) {
            return;
        }
        LOG.warn("replacing the routing producer after {}", error.toString());
        Producer<byte[], byte[]> old = producer;
        producer = null;
        try {
            old.close(Duration.ZERO);
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
