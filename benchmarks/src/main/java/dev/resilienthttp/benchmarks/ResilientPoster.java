package dev.resilienthttp.benchmarks;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.ResilientHttpClientBuilder;
import dev.resilienthttp.core.spi.CallPolicy;

import java.io.IOException;
import java.net.URI;
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

    /** @param policy the retry policy, or null for the client's default (one attempt) */
    ResilientPoster(URI uri, CallPolicy policy) {
        this(uri, policy, Transport.CLEAR);
    }

    /** @param policy the retry policy, or null for the client's default (one attempt) */
    ResilientPoster(URI uri, CallPolicy policy, Transport transport) {
        ResilientHttpClientBuilder builder = ResilientHttpClient.builder().userAgent(USER_AGENT)
                .version(transport.version()).jdkClient(transport::trust);
        if (policy != null) {
            builder.retry(policy);
        }
        this.client = builder.build();
        this.uri = uri;
    }

    @Override
    public int post(byte[] body, String idempotencyKey) throws IOException, InterruptedException {
        return client.send(JdkPoster.request(uri, body, idempotencyKey), BodyHandlers.ofByteArray()).statusCode();
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
