package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.JdkClients;
import dev.resilienthttp.core.internal.JdkExecutor;
import dev.resilienthttp.core.internal.RejectionsRunHere;
import dev.resilienthttp.core.internal.WorkerPool;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Builds the JDK client of each connection generation, the same way every time. Unless the user gave an executor,
 * every generation gets a {@link JdkExecutor} over the client's one pool for the JDK's tasks, so that rotations add
 * no threads but the JDK's selector thread.
 */
final class JdkClientFactory implements Supplier<HttpClient> {
    private final Duration connectTimeout;
    private final HttpClient.Version version;
    /** The user's executor, or {@code null}: then {@link #jdkWorkers} serves every generation. */
    private final Executor executor;
    private final WorkerPool jdkWorkers;
    private final Consumer<HttpClient.Builder> customizer;

    JdkClientFactory(Duration connectTimeout, HttpClient.Version version, Executor executor, WorkerPool jdkWorkers,
                     Consumer<HttpClient.Builder> customizer) {
        this.connectTimeout = connectTimeout;
        this.version = version;
        this.executor = executor;
        this.jdkWorkers = jdkWorkers;
        this.customizer = customizer;
    }

    @Override
    public HttpClient get() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (version != null) {
            builder.version(version);
        }
        JdkExecutor own = executor == null ? new JdkExecutor(jdkWorkers) : null;
        Executor given = executor == null ? own : new RejectionsRunHere(executor);
        builder.executor(given);
        customizer.accept(builder);
        HttpClient client = builder.build();
        if (client.executor().orElse(null) != given) {
            // The JDK would run the caller's code (body handlers, request bodies, sendAsync's stages) on the executor
            // the customizer set, and the client's guard for its selector thread, or for rejections, would not know it.
            JdkClients.shutdown(client);
            throw new IllegalStateException("jdkClient(…) set the JDK client's executor: give it to "
                    + "ResilientHttpClientBuilder.executor(…) instead, which keeps the caller's code off the JDK's "
                    + "selector thread");
        }
        if (own != null && !callsUserHooks(client)) {
            own.allowInline();
        }
        return client;
    }

    /**
     * Whether the JDK may call code of the user's while it reads a response: an authenticator (on a 401), a cookie
     * handler (on every response) or a proxy selector (on a redirect or the JDK's own re-send) that may block.
     */
    private static boolean callsUserHooks(HttpClient client) {
        return client.authenticator().isPresent() || client.cookieHandler().isPresent()
                || client.proxy().filter(proxy -> proxy.getClass().getModule()
                        != ProxySelector.class.getModule()).isPresent();
    }
}
