package dev.resilienthttp.faults.internal.api;

import com.sun.net.httpserver.HttpServer;
import dev.resilienthttp.faults.internal.proxy.ProxyRegistry;
import dev.resilienthttp.faults.internal.proxy.Workers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The REST API on the JDK's HTTP server, with a small pool of {@code toxiproxy-api-N} threads
 * (the JDK's default runs handlers on its single dispatcher thread, and a request that waits on
 * a reset_peer toxic must not hold up the others).
 */
public final class ApiServer {
    /** Enough for a test suite's concurrent requests; the API does little work per request. */
    private static final int HANDLER_THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;

    private ApiServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static ApiServer start(InetSocketAddress address, ProxyRegistry registry, Workers workers)
            throws IOException {
        HttpServer server = HttpServer.create(address, 50);
        ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, workers.factory("api"));
        server.setExecutor(executor);
        server.createContext("/", new ApiHandler(new Router(registry)));
        server.start();
        return new ApiServer(server, executor);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting, closes open HTTP connections, and waits briefly for running handlers. */
    public void stop() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
