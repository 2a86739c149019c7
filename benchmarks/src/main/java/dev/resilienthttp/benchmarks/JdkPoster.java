package dev.resilienthttp.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;

/** The plain {@code java.net.http.HttpClient}, HTTP/1.1, defaults otherwise: the baseline. */
final class JdkPoster implements Poster {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;

    JdkPoster(URI uri) {
        this.uri = uri;
    }

    /** The request both JDK-based clients send: built per call, as an application does. */
    static HttpRequest request(URI uri, byte[] body, String idempotencyKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("Content-Type", Payload.CONTENT_TYPE)
                .POST(BodyPublishers.ofByteArray(body));
        if (idempotencyKey != null) {
            builder.header(Payload.IDEMPOTENCY_KEY, idempotencyKey);
        }
        return builder.build();
    }

    @Override
    public int post(byte[] body, String idempotencyKey) throws IOException, InterruptedException {
        return client.send(request(uri, body, idempotencyKey), BodyHandlers.ofByteArray()).statusCode();
    }

    /** JDK 17's client has no {@code close()}: it frees its thread and sockets once unreachable. */
    @Override
    public void close() {
    }
}
