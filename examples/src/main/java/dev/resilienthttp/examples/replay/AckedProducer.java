package dev.resilienthttp.examples.replay;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Produces article records keyed by article id and waits for each acknowledgement ({@code acks=all}): a service
 * commits an event's offset only after what it produced for it is stored. Thread-safe.
 */
final class AckedProducer implements AutoCloseable {
    private final KafkaProducer<String, GenericRecord> producer;

    /** A producer that sends each record at once ({@code linger.ms=0}): a sequential caller waits for each. */
    AckedProducer(String bootstrapServers) {
        this(bootstrapServers, Duration.ZERO);
    }

    /**
     * A producer that waits up to {@code linger} to batch records: Kafka's own default since 4.0 is 5 ms, right for a
     * caller with many records in flight, which then sends one request for many.
     */
    AckedProducer(String bootstrapServers, Duration linger) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis()),
                new StringSerializer(), ArticleEvents.SERDE.serializer());
    }

    /** Produces and waits up to 30 s for the acknowledgement. */
    void send(String topic, GenericRecord article) throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(topic, ArticleEvents.articleId(article), article))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not produce to " + topic + ": " + e, e);
        }
    }

    /** Produces without waiting: the stage completes once the brokers acknowledged the record. */
    CompletableFuture<Void> sendAsync(String topic, GenericRecord article) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, ArticleEvents.articleId(article), article), (metadata, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(new IllegalStateException("could not produce to " + topic + ": "
                            + error, error));
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** Produces every record at once, then waits up to 30 s for all their acknowledgements. */
    void sendAll(String topic, List<GenericRecord> articles) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (GenericRecord article : articles) {
            acks.add(producer.send(new ProducerRecord<>(topic, ArticleEvents.articleId(article), article)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not produce to " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
