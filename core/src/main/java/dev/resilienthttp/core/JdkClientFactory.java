package dev.resilienthttp.core;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Builds the JDK client of each connection generation, the same way every time. */
final class JdkClientFactory implements Supplier<HttpClient> {
    private final Duration connectTimeout;
    private final HttpClient.Version version;
    private final Executor executor;
    private final Consumer<HttpClient.Builder> customizer;

    JdkClientFactory(Duration connectTimeout, HttpClient.Version version, Executor executor,
                     Consumer<HttpClient.Builder> customizer) {
        this.connectTimeout = connectTimeout;
        this.version = version;
        this.executor = executor;
        this.customizer = customizer;
    }

    @Override
    public HttpClient get() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (version != null) {
            builder.version(version);
        }
        if (executor != null) {
            builder.executor(executor);
        }
        customizer.accept(builder);
        return builder.build();
    }
}
