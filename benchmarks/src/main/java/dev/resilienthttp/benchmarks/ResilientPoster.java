package dev.resilienthttp.benchmarks;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.ResilientHttpClientBuilder;
import dev.resilienthttp.core.spi.CallPolicy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * resilient-http, over HTTP/1.1 in the clear unless given another {@link Transport}, with its default
 * single-attempt policy or with a retry policy.
 */
final class ResilientPoster implements VersionedPoster {
    /** Who is calling, with a contact, as the builder requires. */
    static final String USER_AGENT = "resilient-http-benchmarks/0.1 (https://github.com/resilient-http/resilient-http)";

    private final ResilientHttpClient client;
    private final URI uri;
    /** Whether each call is {@code sendAsync(…).get()} rather than {@code send}. */
    private final boolean async;

    /** @param policy the retry policy, or null for the client's default (one attempt) */
    ResilientPoster(URI uri, CallPolicy policy) {
        this(uri, policy, Transport.CLEAR, false);
    }

    /** @param policy the retry policy, or null for the client's default (one attempt) */
    ResilientPoster(URI uri, CallPolicy policy, Transport transport) {
        this(uri, policy, transport, false);
    }

    /** Each call {@code sendAsync(…).get()}: what a caller of the asynchronous API pays. */
    static ResilientPoster async(URI uri, CallPolicy policy) {
        return new ResilientPoster(uri, policy, Transport.CLEAR, true);
    }

    private ResilientPoster(URI uri, CallPolicy policy, Transport transport, boolean async) {
        ResilientHttpClientBuilder builder = ResilientHttpClient.builder().userAgent(USER_AGENT)
                .version(transport.version()).jdkClient(transport::trust);
        if (policy != null) {
            builder.retry(policy);
        }
        this.client = builder.build();
        this.uri = uri;
        this.async = async;
    }

    @Override
    public int post(byte[] body, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest request = JdkPoster.request(uri, body, idempotencyKey);
        return (async ? Futures.await(client.sendAsync(request, BodyHandlers.ofByteArray()))
                : client.send(request, BodyHandlers.ofByteArray())).statusCode();
    }

    @Override
    public HttpResponse<byte[]> exchange(byte[] body) throws IOException, InterruptedException {
        return client.send(JdkPoster.request(uri, body, null), BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        client.close();
    }
}
