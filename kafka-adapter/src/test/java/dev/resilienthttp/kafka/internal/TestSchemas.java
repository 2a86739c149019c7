package dev.resilienthttp.kafka.internal;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The incident's article-update schema (src/test/resources/article-update.avsc), for the internal unit tests. */
final class TestSchemas {
    static final Schema ARTICLE = load();

    private TestSchemas() {
    }

    static GenericRecord article(String id, int failCount) {
        GenericRecord event = new GenericData.Record(ARTICLE.getField("event").schema());
        event.put("identifier", "5a3c1e0e-0000-4000-8000-000000000001");
        event.put("type", "article-update");
        event.put("date_created", 1_700_000_000_000_000L);
        event.put("fail_count", failCount);
        event.put("fail_reason", null);
        GenericRecord article = new GenericData.Record(ARTICLE);
        article.put("article_id", id);
        article.put("title", "Title");
        article.put("event", event);
        return article;
    }

    private static Schema load() {
        try (InputStream in = TestSchemas.class.getResourceAsStream("/article-update.avsc")) {
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
