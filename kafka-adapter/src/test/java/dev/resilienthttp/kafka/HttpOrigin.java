package dev.resilienthttp.kafka;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * The remote API of the incident, on loopback: answers each POST with the status {@code statusOf(path)} gives, a
 * small body with its {@code Content-Length}, and {@code Connection: close}, so that every call opens its own
 * connection and meets its own draw of a proxy's toxicity. Counts requests per path and per idempotency key.
 */
final class HttpOrigin implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();

    private HttpOrigin(ToIntFunction<String> statusOf) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "http-origin"));
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, statusOf));
        server.start();
    }

    static HttpOrigin start(ToIntFunction<String> statusOf) {
        try {
            return new HttpOrigin(statusOf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(HttpExchange exchange, ToIntFunction<String> statusOf) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            byPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            List<String> keys = exchange.getRequestHeaders().get("Idempotency-Key");
            if (keys != null && !keys.isEmpty()) {
                byKey.computeIfAbsent(keys.get(0), k -> new AtomicInteger()).incrementAndGet();
            }
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(statusOf.applyAsInt(path), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    int requests() {
        return byPath.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Idempotency keys the origin saw more than once, beyond the first time each. */
    int duplicateKeys() {
        return byKey.values().stream().mapToInt(n -> n.get() - 1).sum();
    }

    int distinctKeys() {
        return byKey.size();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the origin's threads did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
