package dev.resilienthttp.kafka;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The incident's article-update events (src/test/resources/article-update.avsc) as GenericRecords. */
final class ArticleEvents {
    static final Schema SCHEMA = load("/article-update.avsc");
    static final Serde<GenericRecord> SERDE = AvroSerde.genericRecord(SCHEMA);

    private ArticleEvents() {
    }

    /** A new event (fail_count 0, no reason) for the article. */
    static GenericRecord event(String articleId) {
        GenericRecord event = new GenericData.Record(SCHEMA.getField("event").schema());
        event.put("identifier", UUID.randomUUID().toString());
        event.put("type", "article-update");
        event.put("date_created", ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
        event.put("fail_count", 0);
        event.put("fail_reason", null);
        GenericRecord article = new GenericData.Record(SCHEMA);
        article.put("article_id", articleId);
        article.put("title", "Title of " + articleId);
        article.put("event", event);
        return article;
    }

    /** The event keyed by its article, to {@code partition} (or by key hash when {@code null}). */
    static ProducerRecord<byte[], byte[]> record(String topic, Integer partition, GenericRecord article) {
        String key = article.get("article_id").toString();
        return new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8),
                SERDE.serializer().serialize(topic, article));
    }

    static GenericRecord read(byte[] value) {
        return SERDE.deserializer().deserialize("any", value);
    }

    static String articleId(GenericRecord article) {
        return article.get("article_id").toString();
    }

    static String identifier(GenericRecord article) {
        return ((GenericRecord) article.get("event")).get("identifier").toString();
    }

    static int failCount(GenericRecord article) {
        return (Integer) ((GenericRecord) article.get("event")).get("fail_count");
    }

    static String failReason(GenericRecord article) {
        Object reason = ((GenericRecord) article.get("event")).get("fail_reason");
        return reason == null ? null : reason.toString();
    }

    private static Schema load(String resource) {
        try (InputStream in = ArticleEvents.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
