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
    /** Whether each call is {@code sendAsync(…).get()} rather than {@code send}. */
    private final boolean async;

    JdkPoster(URI uri) {
        this(uri, Transport.CLEAR);
    }

    JdkPoster(URI uri, Transport transport) {
        this(uri, transport, null, false);
    }

    /**
     * @param executor the JDK client's executor, or {@code null} for its default (a cached pool)
     * @param async    whether each call goes through {@code sendAsync}
     */
    private JdkPoster(URI uri, Transport transport, Executor executor, boolean async) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(transport.version());
        transport.trust(builder);
        if (executor != null) {
            builder.executor(executor);
        }
        this.client = builder.build();
        this.uri = uri;
        this.async = async;
    }

    /**
     * The JDK client with its defaults, each call {@code sendAsync(…).get()}: what a caller of the asynchronous API
     * pays (the JDK completes each returned future on {@code CompletableFuture}'s default pool: the common pool, or
     * on JDK 17 with fewer than three CPUs a new thread per call).
     */
    static JdkPoster async(URI uri) {
        return new JdkPoster(uri, Transport.CLEAR, null, true);
    }

    /**
     * The JDK client with {@code .executor(Runnable::run)}: every hand-off inline, one thread switch a call. Not a
     * safe setting (a blocking body handler would stall every connection); the ceiling for what removing the
     * hand-off can win, for comparison only.
     */
    static JdkPoster inline(URI uri) {
        return new JdkPoster(uri, Transport.CLEAR, Runnable::run, false);
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
        HttpRequest request = request(uri, body, idempotencyKey);
        return (async ? Futures.await(client.sendAsync(request, BodyHandlers.ofByteArray()))
                : client.send(request, BodyHandlers.ofByteArray())).statusCode();
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
