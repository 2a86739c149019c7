package dev.resilienthttp.examples.replay;

import dev.resilienthttp.kafka.AvroSerde;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The incident's article-update events ({@code article-update.avsc}) as Avro {@link GenericRecord}s in plain binary
 * Avro: the article with the {@code version} the update carries, and an {@code event} record with
 * {@code identifier}, {@code type}, {@code date_created}, {@code fail_count} and {@code fail_reason}.
 */
final class ArticleEvents {
    static final Schema SCHEMA = load("/article-update.avsc");
    static final Serde<GenericRecord> SERDE = AvroSerde.genericRecord(SCHEMA);

    private ArticleEvents() {
    }

    /** A new event (fail_count 0, no reason) carrying {@code version} of the article. */
    static GenericRecord event(String articleId, int version, UUID identifier, Instant created) {
        GenericRecord event = new GenericData.Record(SCHEMA.getField("event").schema());
        event.put("identifier", identifier.toString());
        event.put("type", "article-update");
        event.put("date_created", ChronoUnit.MICROS.between(Instant.EPOCH, created));
        event.put("fail_count", 0);
        event.put("fail_reason", null);
        GenericRecord article = new GenericData.Record(SCHEMA);
        article.put("article_id", articleId);
        article.put("title", "Title of " + articleId);
        article.put("version", version);
        article.put("event", event);
        return article;
    }

    /** A copy with the failure fields set, as the original service writes it to its error or dead-letter topic. */
    static GenericRecord withFailure(GenericRecord article, int failCount, String failReason) {
        GenericRecord copy = new GenericData.Record((GenericData.Record) article, true);
        GenericRecord event = (GenericRecord) copy.get("event");
        event.put("fail_count", failCount);
        event.put("fail_reason", failReason);
        return copy;
    }

    static String articleId(GenericRecord article) {
        return article.get("article_id").toString();
    }

    static int version(GenericRecord article) {
        return (Integer) article.get("version");
    }

    static String identifier(GenericRecord article) {
        return event(article).get("identifier").toString();
    }

    static int failCount(GenericRecord article) {
        return (Integer) event(article).get("fail_count");
    }

    static String failReason(GenericRecord article) {
        Object reason = event(article).get("fail_reason");
        return reason == null ? null : reason.toString();
    }

    /** The JSON body the service POSTs for the event: what the API needs to enrich the article. */
    static String requestBody(GenericRecord article) {
        return "{\"article_id\":\"" + articleId(article) + "\",\"version\":" + version(article)
                + ",\"identifier\":\"" + identifier(article) + "\",\"title\":\"" + article.get("title") + "\"}";
    }

    private static GenericRecord event(GenericRecord article) {
        return (GenericRecord) article.get("event");
    }

    private static Schema load(String resource) {
        try (InputStream in = ArticleEvents.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
