package dev.resilienthttp.kafka;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * An article API that checks the order of each article's updates: {@code POST /articles/{id}} with an
 * {@value #VERSION} header. It answers after a fixed latency with the status {@code status} gives (200 unless told
 * otherwise), and counts, per article, an update whose version is lower than one already accepted and was never
 * accepted itself (a replay of an accepted version is not out of order). Served by at most {@value #THREADS}
 * threads, each of which sleeps through the latency; {@code Connection: close} gives every call its own connection.
 */
final class VersionedApi implements AutoCloseable {
    static final String VERSION = "Article-Version";
    private static final int THREADS = 200;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration latency;
    private final IntSupplier status;
    private final Map<String, Versions> articles = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger outOfOrder = new AtomicInteger();

    private static final class Versions {
        int highest = -1;
        final Set<Integer> accepted = new HashSet<>();
    }

    private VersionedApi(Duration latency, IntSupplier status) throws IOException {
        this.latency = latency;
        this.status = status;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> new Thread(r, "versioned-api-" + n.incrementAndGet()));
        server.setExecutor(executor);
        server.createContext("/articles/", this::answer);
        server.start();
    }

    static VersionedApi start(Duration latency, IntSupplier status) {
        try {
            return new VersionedApi(latency, status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The POST of update {@code version} of {@code article}, keyed {@code article:version}. */
    static HttpRequest post(URI api, String article, int version) {
        return HttpRequest.newBuilder(api.resolve(article))
                .header(VERSION, Integer.toString(version))
                .header("Idempotency-Key", article + ":" + version)
                .POST(HttpRequest.BodyPublishers.ofString("{\"article\":\"" + article + "\",\"version\":" + version
                        + "}")).build();
    }

    /**
     * Updates of {@code articles} articles, {@code versions} each, keyed by article, for {@code topic}: version 1 of
     * every article, then version 2, and so on; the value is {@code article:version}.
     */
    static List<ProducerRecord<byte[], byte[]>> updates(String topic, int articles, int versions) {
        List<ProducerRecord<byte[], byte[]>> events = new ArrayList<>();
        for (int version = 1; version <= versions; version++) {
            for (int article = 0; article < articles; article++) {
                events.add(new ProducerRecord<>(topic, ("article-" + article).getBytes(StandardCharsets.UTF_8),
                        ("article-" + article + ":" + version).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return events;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            int code = status.getAsInt();
            if (code == 200) {
                accept(exchange);
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Connection", "close");
            if (code == 429) {
                exchange.getResponseHeaders().set("Retry-After", "60");
            }
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(HttpExchange exchange) {
        String article = exchange.getRequestURI().getPath().substring("/articles/".length());
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        byKey.computeIfAbsent(key == null ? "" : key, k -> new AtomicInteger()).incrementAndGet();
        int version = Integer.parseInt(exchange.getRequestHeaders().getFirst(VERSION));
        Versions versions = articles.computeIfAbsent(article, a -> new Versions());
        synchronized (versions) {
            if (version < versions.highest && !versions.accepted.contains(version)) {
                outOfOrder.incrementAndGet();
            }
            versions.accepted.add(version);
            versions.highest = Math.max(versions.highest, version);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/articles/");
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Every request that reached the API, whatever its answer. */
    int requests() {
        return requests.get();
    }

    /** Distinct updates accepted (answered 200). */
    int acceptedUpdates() {
        return byKey.size();
    }

    /** Accepted updates the API saw again, beyond the first time each. */
    int replays() {
        return byKey.values().stream().mapToInt(n -> n.get() - 1).sum();
    }

    int outOfOrder() {
        return outOfOrder.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the API's threads did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
