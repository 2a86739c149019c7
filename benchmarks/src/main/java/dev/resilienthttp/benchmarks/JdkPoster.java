package dev.resilienthttp.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.Executor;

/**
 * The plain {@code java.net.http.HttpClient}, HTTP/1.1 in the clear unless given another {@link Transport},
 * defaults otherwise: the baseline.
 */
final class JdkPoster implements VersionedPoster {
    private final HttpClient client;
    private final URI uri;

    JdkPoster(URI uri) {
        this(uri, Transport.CLEAR);
    }

    JdkPoster(URI uri, Transport transport) {
        this(uri, transport, null);
    }

    /** @param executor the JDK client's executor, or {@code null} for its default (a cached pool) */
    private JdkPoster(URI uri, Transport transport, Executor executor) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(transport.version());
        transport.trust(builder);
        if (executor != null) {
            builder.executor(executor);
        }
        this.client = builder.build();
        this.uri = uri;
    }

    /**
     * The JDK client with {@code .executor(Runnable::run)}: every hand-off inline, one thread switch a call. Not a
     * safe setting (a blocking body handler would stall every connection); the ceiling for what removing the
     * hand-off can win, for comparison only.
     */
    static JdkPoster inline(URI uri) {
        return new JdkPoster(uri, Transport.CLEAR, Runnable::run);
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

    @Override
    public HttpResponse<byte[]> exchange(byte[] body) throws IOException, InterruptedException {
        return client.send(request(uri, body, null), BodyHandlers.ofByteArray());
    }

    /**
     * Closes the client on JDK 21+, where it is {@code AutoCloseable} (it waits for calls in flight, of which a
     * trial's end has none); JDK 17's client has no {@code close()} and frees its thread and sockets once
     * unreachable.
     */
    @Override
    public void close() {
        if (client instanceof AutoCloseable) {
            try {
                ((AutoCloseable) client).close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the JDK client", e);
            }
        }
    }
}
