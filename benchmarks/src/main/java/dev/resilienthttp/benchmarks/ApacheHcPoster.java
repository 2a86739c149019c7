package dev.resilienthttp.benchmarks;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * Apache HttpClient 5, classic (blocking) API, defaults except the pool: 16 connections per route instead of 5,
 * so that no benchmark thread ever waits for a connection.
 */
final class ApacheHcPoster implements Poster {
    private static final int CONNECTIONS = 16;

    private final CloseableHttpClient client = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnPerRoute(CONNECTIONS).setMaxConnTotal(CONNECTIONS).build())
            .build();
    private final URI uri;

    ApacheHcPoster(URI uri) {
        this.uri = uri;
    }

    @Override
    public int post(byte[] body, String idempotencyKey) throws IOException {
        HttpPost post = new HttpPost(uri);
        post.setEntity(new ByteArrayEntity(body, ContentType.create(Payload.CONTENT_TYPE)));
        if (idempotencyKey != null) {
            post.setHeader(Payload.IDEMPOTENCY_KEY, idempotencyKey);
        }
        return client.execute(post, response -> {
            EntityUtils.toByteArray(response.getEntity());
            return response.getCode();
        });
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
