package dev.resilienthttp.examples.replay;

import org.apache.avro.generic.GenericRecord;

import java.net.URI;
import java.net.http.HttpRequest;

/** The call both services make for an event: {@code POST /articles/{article_id}} with the event as JSON. */
final class ArticleRequests {
    private ArticleRequests() {
    }

    static HttpRequest post(URI api, GenericRecord article) {
        return HttpRequest.newBuilder(api.resolve(ArticleEvents.articleId(article)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ArticleEvents.requestBody(article)))
                .build();
    }
}
