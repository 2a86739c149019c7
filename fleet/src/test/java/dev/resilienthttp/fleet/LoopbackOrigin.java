package dev.resilienthttp.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The remote API on 127.0.0.1: answers each request as {@code answer} says for the instance that sent it (the
 * {@code X-Instance} header, which only these tests send), and records who came when, so that a test can count the
 * requests the operators would see.
 */
final class LoopbackOrigin implements AutoCloseable {
    static final String INSTANCE_HEADER = "X-Instance";

    /** An answer: a status, and a {@code Retry-After} value or null. */
    record Answer(int status, String retryAfter) {
        static final Answer OK = new Answer(200, null);
        static final Answer FORBIDDEN = new Answer(403, null);
    }

    /** A request the origin saw. */
    record Seen(String instance, long nanoTime, int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Function<String, Answer> answer;

    private LoopbackOrigin(Function<String, Answer> answer) throws IOException {
        this.answer = answer;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "loopback-origin"));
        server.setExecutor(executor);
        server.createContext("/", this::answer);
        server.start();
    }

    static LoopbackOrigin start(Function<String, Answer> answer) {
        try {
            return new LoopbackOrigin(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on, answers as {@code answer} says. */
    void answer(Function<String, Answer> answer) {
        this.answer = answer;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String instance = exchange.getRequestHeaders().getFirst(INSTANCE_HEADER);
            Answer reply;
            synchronized (this) {   // "the first request" answers are decided in arrival order
                reply = answer.apply(instance);
                seen.add(new Seen(instance, System.nanoTime(), reply.status()));
            }
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
            }
            // No body: the JDK server writes a body apart from the headers, and Nagle's algorithm with the client's
            // delayed ACK then holds every response 40 ms, which would make the origin slower than the broker.
            exchange.sendResponseHeaders(reply.status(), -1);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/articles");
    }

    /** {@code host:port}, as the policy names the origin. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    int requests() {
        return seen.size();
    }

    /** The requests answered 403. */
    int forbidden() {
        return (int) seen.stream().filter(s -> s.status() == 403).count();
    }

    /** The requests of {@code instance} answered 403. */
    long forbiddenTo(String instance) {
        return seen.stream().filter(s -> s.status() == 403 && instance.equals(s.instance())).count();
    }

    long requestsFrom(String instance) {
        return seen.stream().filter(s -> instance.equals(s.instance())).count();
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
