package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.Generation;
import dev.resilienthttp.core.internal.Generations;
import dev.resilienthttp.core.internal.JdkBodies;
import dev.resilienthttp.core.internal.OffloadedHandler;
import dev.resilienthttp.core.internal.Redactor;
import dev.resilienthttp.core.internal.Steps;
import dev.resilienthttp.core.internal.Ticker;
import dev.resilienthttp.core.internal.WorkerPool;
import dev.resilienthttp.core.spi.CallPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP client that does not lose work to stale connections: the JDK {@link HttpClient} with connection
 * hygiene, failure classification, a failure report, and a pluggable {@link CallPolicy} for retries.
 *
 * <pre>{@code
 * ResilientHttpClient client = ResilientHttpClient.builder()
 *         .userAgent("article-enricher/2.0 (ops@example.org)")   // required: no library default
 *         .retry(RetryPolicy.standard())                         // from resilient-http-retry
 *         .build();
 * HttpResponse<String> r = client.send(request, BodyHandlers.ofString());
 * }</pre>
 *
 * <p>What it does that the JDK client does not:
 * <ul>
 *   <li>Keeps no connection longer than {@code maxConnectionAge} and no pool idle longer than {@code maxIdle}, by
 *       replacing its JDK client ("generation") before either deadline; in-flight requests finish on the old one.</li>
 *   <li>Recognises a reset on a pooled connection ({@link FailureKind#STALE_CONNECTION}), moves to fresh
 *       connections at once, and re-sends a request that is safe to repeat once, even with no policy.</li>
 *   <li>Fails with an {@link HttpFailureException} whose {@link FailureReport} says what happened on every attempt.</li>
 *   <li>Sends your {@code User-Agent} and bounds every attempt, with or without a policy: the response headers by
 *       the request timeout, the body by the read-idle timeout, the whole by the policy's deadline.</li>
 *   <li>Judges the status when the headers arrive: a failed response's body is not read whole (its first 64 KiB
 *       are kept, {@link HttpFailureException#bodyPrefix()}), so a large error page costs no time before a retry.</li>
 * </ul>
 *
 * <p>Composition, for each call: {@code policy(attempt(generation(JDK client)))}: the policy decides how many
 * attempts and when; each attempt takes the current generation.
 *
 * <p>Immutable and thread-safe. {@link #close()} lets requests in flight finish and takes no new ones.
 */
public final class ResilientHttpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientHttpClient.class);
    /** Numbers each client's worker threads, so that a thread dump tells clients apart. */
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final String userAgent;
    /** As every prepared request's {@code User-Agent} header holds it. */
    private final List<String> userAgentHeader;
    /** As every prepared request holds it, so that none allocates its own. */
    private final Optional<Duration> requestTimeout;
    private final ClientContext context;
    /** The threads that may block, or {@code null} when the user gave the JDK clients an executor. */
    private final WorkerPool workers;

    ResilientHttpClient(ResilientHttpClientBuilder builder) {
        this.userAgent = builder.userAgent;
        this.userAgentHeader = List.of(builder.userAgent);
        this.requestTimeout = Optional.of(builder.requestTimeout);
        Ticker ticker = Ticker.of(builder.clock);
        // Without a listener there is nothing to guard, and no event need be built.
        HttpEventListener listener = builder.listener == HttpEventListener.NONE
                ? HttpEventListener.NONE : new SafeListener(builder.listener);
        int number = CLIENTS.incrementAndGet();
        long keepAlive = Defaults.WORKER_KEEP_ALIVE.toNanos();
        WorkerPool workers = builder.executor != null ? null
                : new WorkerPool("resilient-http-worker-" + number, Defaults.WORKER_THREADS, Defaults.WORKER_SPARES,
                        keepAlive);
        // Apart from the caller's code: 64 calls blocked in it must not hold up the JDK's own work they wait for.
        WorkerPool jdkWorkers = builder.executor != null ? null
                : new WorkerPool("resilient-http-jdk-" + number, Defaults.JDK_WORKER_THREADS, Defaults.WORKER_SPARES,
                        keepAlive);
        this.workers = workers;
        JdkClientFactory factory = new JdkClientFactory(builder.connectTimeout, builder.version, builder.executor,
                jdkWorkers, builder.jdkCustomizer);
        Generations generations = new Generations(factory, builder.maxConnectionAge, builder.maxIdle,
                builder.staleAfterIdle,
                new Generations.RotationListener() {
                    @Override
                    public void rotated(Generation retired, Generation current, RotationReason reason) {
                        ResilientHttpClient.rotated(listener, retired, current, reason);
                    }

                    @Override
                    public void suppressed(Generation current, RotationReason reason) {
                        LOG.atDebug().addKeyValue("current", current.number()).addKeyValue("reason", reason)
                                .log("connection generation not rotated: too young to hold a stale connection");
                        listener.rotationSuppressed(current.number(), reason);
                    }
                }, workers == null ? () -> { } : () -> {
                    workers.shutdown();
                    jdkWorkers.shutdown();
                });
        this.context = new ClientContext(generations, builder.policy, listener, builder.clock, ticker,
                builder.readIdleTimeout, new Redactor(builder.redactions), builder.failureLogLevel,
                builder.instrumentation, new Steps(workers, jdkWorkers));
    }

    /** A builder with the defaults; {@link ResilientHttpClientBuilder#userAgent} is required. */
    public static ResilientHttpClientBuilder builder() {
        return new ResilientHttpClientBuilder();
    }

    /**
     * Sends the request under the client's policy and blocks until the call ends.
     *
     * @return the response of the attempt the policy calls a success
     * @throws HttpFailureException when the call fails; its report says how
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws ClientClosedException if the client is closed (an {@link IllegalStateException})
     */
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
            throws IOException, InterruptedException {
        RealCall<T> call = newCall(request, handler);
        try {
            HttpResponse<T> response = context.policy().execute(call);
            call.succeeded(response);
            return response;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            call.ended(e);
            throw e;
        }
    }

    /**
     * Sends the request under the client's policy without blocking the calling thread, nor any thread while it
     * waits between attempts. Completes with the response of the attempt the policy calls a success, or
     * exceptionally with an {@link HttpFailureException}. Giving the future up (cancelling it, or completing it
     * yourself, as {@code orTimeout} does) stops the call: its attempt in flight is cancelled, a wait for the next
     * one ends, and no other starts.
     */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
        RealCall<T> call = newCall(request, handler);
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        CompletableFuture<HttpResponse<T>> execution;
        try {
            execution = context.policy().executeAsync(call);
        } catch (RuntimeException | Error e) {
            // As send() tells the listener and throws what the policy threw, an Error included: here the caller's
            // channel is the future, which already carries an Error the policy's own future completes with.
            call.ended(e);
            return CompletableFuture.failedFuture(e);
        }
        // The caller's stages run where the result completes: never on a thread that serves every call (a policy of
        // the user's may complete anywhere; core's attempts already end where they may block).
        execution.whenComplete((response, error) -> context.steps().execute(() -> settle(call, result, response,
                error)));
        result.whenComplete((response, error) -> {
            if (!call.settledWith(response, error)) {
                // The caller ended the future itself (cancel, orTimeout, complete): no one awaits the call any more.
                call.abandon(error != null ? error
                        : new CancellationException("the caller completed the call's future itself"));
            }
        });
        return result;
    }

    /** Completes the caller's future as the policy's run ended, and tells the listener. */
    private static <T> void settle(RealCall<T> call, CompletableFuture<HttpResponse<T>> result,
                                   HttpResponse<T> response, Throwable error) {
        if (error == null) {
            try {
                // The listener hears of the success before the caller can act on it, as with send().
                if (!result.isDone()) {
                    call.succeeded(response);
                }
            } finally {   // whatever the listener threw, an Error included, the caller hears the end
                call.settles(response);
                if (!result.complete(response)) {
                    closeQuietly(response.body());   // given up meanwhile: no one will read it
                }
            }
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        try {
            if (!result.isDone()) {   // else the caller gave the call up, and that tells its end
                call.ended(cause);
            }
        } finally {
            call.settles(cause);
            result.completeExceptionally(cause);
        }
    }

    /** Closes a body no one will read, if it holds anything (a stream holds its connection). */
    static void closeQuietly(Object body) {
        if (body instanceof AutoCloseable) {
            try {
                ((AutoCloseable) body).close();
            } catch (Exception ignored) {
                // best effort: the body is abandoned either way
            }
        }
    }

    /**
     * A request builder for {@code uri} with this client's {@code User-Agent} and request timeout already set. A
     * request that carries both is sent without a copy; one without them is copied to add them, about 330 bytes a
     * call (the JDK's {@code HttpHeaders} is final: adding a header means building all of them anew).
     */
    public HttpRequest.Builder newRequest(URI uri) {
        return HttpRequest.newBuilder(Objects.requireNonNull(uri, "uri")).setHeader("User-Agent", userAgent)
                .timeout(requestTimeout.get());
    }

    /** The {@code User-Agent} sent with every request that does not set its own. */
    public String userAgent() {
        return userAgent;
    }

    /**
     * Takes no new request from now on; requests in flight finish. The JDK clients are shut down on JDK 21+ and
     * dropped on 17 (the JDK frees a dropped client's thread and sockets once it is unreachable). Idempotent.
     */
    @Override
    public void close() {
        context.generations().close();
    }

    /** The number of the current connection generation (0 before the first request); for tests and metrics. */
    int currentGeneration() {
        return context.generations().currentNumber();
    }

    /** Generations not yet shut down; for tests. */
    int aliveGenerations() {
        return context.generations().alive();
    }

    private <T> RealCall<T> newCall(HttpRequest request, BodyHandler<T> handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        return new RealCall<>(context, PreparedRequest.of(request, userAgentHeader, requestTimeout, workers),
                workers == null || JdkBodies.safe(handler) ? handler : new OffloadedHandler<>(handler, workers));
    }

    private static void rotated(HttpEventListener listener, Generation retired, Generation current,
                                RotationReason reason) {
        // A rotation on schedule (age, idle) is routine; one after a stale connection says something about the path.
        LOG.atLevel(reason == RotationReason.STALE_CONNECTION ? Level.INFO : Level.DEBUG)
                .addKeyValue("retired", retired.number()).addKeyValue("current", current.number())
                .addKeyValue("reason", reason).log("connection generation rotated");
        listener.generationRotated(retired.number(), current.number(), reason);
    }
}
