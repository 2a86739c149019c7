package dev.resilienthttp.benchmarks;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fast origin every benchmark talks to: Jetty 12's core handler on 127.0.0.1, answering any request with
 * {@code 200} and {@link Payload#SIZE} bytes once it has read the request body. (The JDK's
 * {@code com.sun.net.httpserver} allocates ~19 KB a request and becomes the bottleneck.)
 *
 * <p>It speaks HTTP/1.1 in the clear unless started on another {@link Transport} (TLS, HTTP/2 over TLS).
 *
 * <p>Every thread it runs on is named {@link #THREAD_PREFIX}{@code …}, so that {@link ServerAllocationProfiler}
 * can tell the server's allocation from the client's. They are daemon threads, so that a benchmark fork may end
 * with the server still running.
 */
final class LoopbackServer implements AutoCloseable {
    /** The name prefix of every thread of the server: pool, selector, acceptor and scheduler. */
    static final String THREAD_PREFIX = "loopback-server";

    private static final HttpField CONTENT_TYPE =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    private static final HttpField CONTENT_LENGTH =
            new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(Payload.SIZE));
    private static final HttpField CLOSE = new PreEncodedHttpField(HttpHeader.CONNECTION, "close");
    /** Enough for the selector, the acceptor and 8 connections, with no thread ever started or ended mid-run. */
    private static final int THREADS = 16;

    private final Server server;
    private final ServerConnector connector;
    private final Transport transport;
    private final LongAdder requests = new LongAdder();
    private final Map<String, Integer> keys = new ConcurrentHashMap<>();

    private LoopbackServer(Transport transport, boolean closeEach, boolean recordKeys) {
        this.transport = transport;
        QueuedThreadPool pool = new QueuedThreadPool(THREADS, THREADS);
        pool.setName(THREAD_PREFIX);
        pool.setDaemon(true);
        server = new Server(pool, new ScheduledExecutorScheduler(THREAD_PREFIX + "-scheduler", true), null);
        connector = new ServerConnector(server, 1, 1, transport.serverFactories());
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Answer(closeEach, recordKeys));
    }

    /** A server that keeps connections open, as a real API does. */
    static LoopbackServer start() {
        return start(Transport.CLEAR);
    }

    /** A server that keeps connections open, speaking {@code transport}. */
    static LoopbackServer start(Transport transport) {
        return start(transport, false, false);
    }

    /**
     * @param closeEach answer {@code Connection: close}, so that every call opens its own connection (Toxiproxy
     *     draws a toxic's toxicity per connection, not per request)
     * @param recordKeys count each {@code Idempotency-Key} seen, for {@link #duplicateKeys()}
     */
    static LoopbackServer start(boolean closeEach, boolean recordKeys) {
        return start(Transport.CLEAR, closeEach, recordKeys);
    }

    private static LoopbackServer start(Transport transport, boolean closeEach, boolean recordKeys) {
        LoopbackServer loopback = new LoopbackServer(transport, closeEach, recordKeys);
        try {
            loopback.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the loopback server", e);
        }
        return loopback;
    }

    URI uri(String path) {
        return URI.create(transport.scheme() + "://127.0.0.1:" + port() + path);
    }

    int port() {
        return connector.getLocalPort();
    }

    /** Requests whose handling began, whether or not the client saw the response. */
    long requests() {
        return requests.sum();
    }

    /** Idempotency keys the server saw more than once (with {@code recordKeys}). */
    long duplicateKeys() {
        return keys.values().stream().filter(times -> times > 1).count();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the loopback server", e);
        }
    }

    /** Reads the whole request body, then answers 200 with the payload. */
    private final class Answer extends Handler.Abstract.NonBlocking {
        private final ByteBuffer body = ByteBuffer.allocateDirect(Payload.SIZE).put(Payload.bytes()).flip();
        private final boolean closeEach;
        private final boolean recordKeys;

        Answer(boolean closeEach, boolean recordKeys) {
            this.closeEach = closeEach;
            this.recordKeys = recordKeys;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            requests.increment();
            if (recordKeys) {
                String key = request.getHeaders().get(Payload.IDEMPOTENCY_KEY);
                if (key != null) {
                    keys.merge(key, 1, Integer::sum);
                }
            }
            Content.Source.consumeAll(request, Callback.from(() -> respond(response, callback), callback::failed));
            return true;
        }

        private void respond(Response response, Callback callback) {
            HttpFields.Mutable headers = response.getHeaders();
            headers.put(CONTENT_TYPE);
            headers.put(CONTENT_LENGTH);
            if (closeEach) {
                headers.put(CLOSE);
            }
            response.write(true, body.slice(), callback);
        }
    }
}
