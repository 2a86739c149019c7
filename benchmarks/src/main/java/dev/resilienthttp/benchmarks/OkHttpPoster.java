package dev.resilienthttp.benchmarks;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.net.URI;

/** OkHttp 5 with its defaults (HTTP/1.1 over cleartext, its own connection-failure retry on). */
final class OkHttpPoster implements Poster {
    private static final MediaType CONTENT_TYPE = MediaType.get(Payload.CONTENT_TYPE);

    private final OkHttpClient client = new OkHttpClient();
    private final HttpUrl url;

    OkHttpPoster(URI uri) {
        this.url = HttpUrl.get(uri.toString());
    }

    @Override
    public int post(byte[] body, String idempotencyKey) throws IOException {
        Request.Builder builder = new Request.Builder().url(url).post(RequestBody.create(body, CONTENT_TYPE));
        if (idempotencyKey != null) {
            builder.header(Payload.IDEMPOTENCY_KEY, idempotencyKey);
        }
        try (Response response = client.newCall(builder.build()).execute()) {
            response.body().bytes();
            return response.code();
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
