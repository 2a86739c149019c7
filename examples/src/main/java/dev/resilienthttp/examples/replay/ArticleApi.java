package dev.resilienthttp.examples.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The remote API of the incident, on 127.0.0.1: {@code POST /articles/{id}} answers 200 with the enriched article,
 * 404 for a deleted article, and 429 with {@code Retry-After: 1} while {@link #throttleFor throttled}. Connections
 * are kept alive, as a real API's are: that is what lets a NAT forget them between calls.
 *
 * <p>It counts, per run, the articles it enriched (answered 200) for each event identifier (the body's
 * {@code identifier}, which resilient-http also sends as {@code Idempotency-Key}): enriching the same event a
 * second time is a duplicate. A 404 or a 429 changes nothing at the API, so a request answered so is no duplicate.
 * It checks the body's {@code version} of each article it enriches ({@link ArticleVersions}), per run: the runs
 * follow one another, so a run's tally is one client's.
 *
 * <p>With a latency it answers every request that long after reading it, as a slow API does. The wait holds no
 * thread: a scheduler hands the answer to the API's threads when it is due, so a few hundred requests can wait at
 * once, as many as the clients send.
 *
 * <p>Like a real API it closes keep-alive connections left idle for a while ({@link #configureJdkServer}): longer
 * than any quiet gap of the traffic, so that the NAT, not the API, is what the pooled connections meet; but short
 * enough that a call whose answer the NAT dropped (its connection was forgotten while the API was answering, which
 * a loaded machine can stretch past {@code idle_ms}) ends in a reset after seconds instead of hanging: the raw JDK
 * client has no request timeout.
 */
final class ArticleApi implements AutoCloseable {
    private static final Pattern IDENTIFIER = Pattern.compile("\"identifier\":\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    /** Connections waiting to be accepted: hundreds of clients may connect at once (the JDK's default is 50). */
    private static final int BACKLOG = 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    /** Times the delayed answers; null without a latency. */
    private final ScheduledExecutorService delays;
    private final Duration latency;
    private final Set<String> deleted;
    private final AtomicLong throttledUntil = new AtomicLong(System.nanoTime());
    private volatile Tally tally = new Tally();

    /** What the API saw during one run. */
    static final class Tally {
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger throttled = new AtomicInteger();
        private final Map<String, AtomicInteger> enriched = new ConcurrentHashMap<>();
        private final ArticleVersions versions = new ArticleVersions();

        int requests() {
            return requests.get();
        }

        int throttled() {
            return throttled.get();
        }

        /** Enrichments beyond the first, summed over every event. */
        int duplicates() {
            return enriched.values().stream().mapToInt(n -> n.get() - 1).sum();
        }

        /** Updates enriched after a higher version of the same article. */
        int outOfOrder() {
            return versions.outOfOrder();
        }
    }

    /** An answer, decided when the request arrives and sent then or after the latency. */
    private record Answer(int status, String json) {
    }

    private ArticleApi(Set<String> deleted, Duration latency) throws IOException {
        this.deleted = Set.copyOf(deleted);
        this.latency = latency;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "article-api-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.delays = latency.isZero() ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "article-api-latency");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/articles/", this::answer);
        server.start();
    }

    /**
     * Sets the JDK HTTP server's JVM-wide properties (documented in the {@code jdk.httpserver} module), which the
     * JDK reads once, when the process's first server starts: call it before any server starts, the fault proxy's
     * included. {@code TCP_NODELAY}: without it the JDK server writes headers and body apart and every call waits
     * 40 ms for a delayed ACK. Idle keep-alive connections closed after {@code idleClose} (whole seconds, checked
     * every 500 ms). Up to 1,000 idle connections kept: the JDK's default of 200 closes every idle connection beyond
     * it the moment it goes idle, so a pipeline with 256 calls in flight met bursts of end-of-stream on connections
     * reused milliseconds later, a keep-alive race no load-balanced API gives at that concurrency, which opened the
     * client's circuit breaker.
     */
    static void configureJdkServer(Duration idleClose) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.idleInterval",
                Long.toString(Math.max(1, (idleClose.toMillis() + 999) / 1000)));
        System.setProperty("sun.net.httpserver.clockTick", "500");
        System.setProperty("sun.net.httpserver.maxIdleConnections", "1000");
    }

    /** Starts the API on 127.0.0.1, answering every request {@code latency} after it arrived. */
    static ArticleApi start(Set<String> deleted, Duration latency) throws IOException {
        return new ArticleApi(deleted, latency);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Starts counting afresh for a new run, and returns the new run's tally. */
    Tally beginRun() {
        throttledUntil.set(System.nanoTime());
        tally = new Tally();
        return tally;
    }

    /** Answers 429 with {@code Retry-After: 1} from now on, for {@code duration}. */
    void throttleFor(Duration duration) {
        throttledUntil.set(System.nanoTime() + duration.toNanos());
    }

    private void answer(HttpExchange exchange) throws IOException {
        Answer answer;
        try {
            answer = decide(exchange);
        } catch (IOException | RuntimeException e) {
            exchange.close();
            throw e;
        }
        if (delays == null) {
            try (exchange) {
                respond(exchange, answer);
            }
            return;
        }
        delays.schedule(() -> executor.execute(() -> respondLater(exchange, answer)), latency.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Reads the request and acts on it, as the API does when a request arrives. */
    private Answer decide(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String articleId = path.substring(path.lastIndexOf('/') + 1);
        Tally run = tally;
        run.requests.incrementAndGet();
        if (System.nanoTime() - throttledUntil.get() < 0) {
            run.throttled.incrementAndGet();
            return new Answer(429, "{\"error\":\"too many requests\"}");
        }
        if (deleted.contains(articleId)) {
            return new Answer(404, "{\"error\":\"article " + articleId + " was deleted\"}");
        }
        Matcher identifier = IDENTIFIER.matcher(body);
        if (identifier.find()) {
            run.enriched.computeIfAbsent(identifier.group(1), k -> new AtomicInteger()).incrementAndGet();
        }
        Matcher version = VERSION.matcher(body);
        if (version.find()) {
            run.versions.accept(articleId, Integer.parseInt(version.group(1)));
        }
        return new Answer(200, "{\"article_id\":\"" + articleId + "\",\"links\":3,\"enriched\":true}");
    }

    private static void respondLater(HttpExchange exchange, Answer answer) {
        try (exchange) {
            respond(exchange, answer);
        } catch (IOException gone) {
            // The client or the path closed the connection while the answer waited: there is no one to answer.
        }
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
        if (answer.status() == 429) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        // The scheduler first: a delayed answer due now hands itself to the executor, which must still take it.
        if (delays != null) {
            shutDown(delays);
        }
        shutDown(executor);
    }

    private static void shutDown(ExecutorService threads) {
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the API's threads did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
