package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.core.internal.Generation;
import dev.resilienthttp.core.internal.Generations;
import dev.resilienthttp.core.internal.JdkBodies;
import dev.resilienthttp.core.internal.JdkExecutor;
import dev.resilienthttp.core.internal.OffloadedHandler;
import dev.resilienthttp.core.internal.Redactor;
import dev.resilienthttp.core.internal.Ticker;
import dev.resilienthttp.core.internal.UserAgents;
import dev.resilienthttp.core.internal.WorkerPool;
import dev.resilienthttp.core.spi.CallPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

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

    private ResilientHttpClient(Builder builder) {
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
                : new WorkerPool("resilient-http-worker-" + number, Defaults.WORKER_THREADS, keepAlive);
        // Apart from the caller's code: 64 calls blocked in it must not hold up the JDK's own work they wait for.
        WorkerPool jdkWorkers = builder.executor != null ? null
                : new WorkerPool("resilient-http-jdk-" + number, Defaults.JDK_WORKER_THREADS, keepAlive);
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
                        LOG.atInfo().addKeyValue("current", current.number()).addKeyValue("reason", reason)
                                .log("connection generation not rotated: too young to hold a stale connection");
                        listener.rotationSuppressed(current.number(), reason);
                    }
                }, workers == null ? () -> { } : () -> {
                    workers.shutdown();
                    jdkWorkers.shutdown();
                });
        this.context = new ClientContext(generations, builder.policy, listener, builder.clock, ticker,
                builder.readIdleTimeout, new Redactor(builder.redactions));
    }

    /** A builder with the defaults; {@link Builder#userAgent} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends the request under the client's policy and blocks until the call ends.
     *
     * @return the response of the attempt the policy calls a success
     * @throws HttpFailureException when the call fails; its report says how
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the client is closed
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
     * exceptionally with an {@link HttpFailureException}. Cancelling the future cancels the attempt in flight
     * and starts no other.
     */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
        RealCall<T> call = newCall(request, handler);
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        CompletableFuture<HttpResponse<T>> execution;
        try {
            execution = context.policy().executeAsync(call);
        } catch (RuntimeException e) {
            call.ended(e);
            return CompletableFuture.failedFuture(e);
        }
        execution.whenComplete((response, error) -> {
            if (workers != null && JdkExecutor.mustNotBlock()) {
                // The caller's stages run where the result completes: never on a thread that serves every call.
                workers.execute(() -> settle(call, result, response, error));
            } else {
                settle(call, result, response, error);
            }
        });
        result.whenComplete((response, error) -> {
            if (result.isCancelled()) {
                call.cancel();
                call.ended(new CancellationException("the caller cancelled the call"));
            }
        });
        return result;
    }

    /** Completes the caller's future as the policy's run ended, and tells the listener. */
    private static <T> void settle(RealCall<T> call, CompletableFuture<HttpResponse<T>> result,
                                   HttpResponse<T> response, Throwable error) {
        if (error == null) {
            if (result.complete(response)) {
                call.succeeded(response);
            } else {
                closeQuietly(response.body());   // cancelled meanwhile: no one will read it
            }
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        call.ended(cause);
        result.completeExceptionally(cause);
    }

    private static void closeQuietly(Object body) {
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
     * request that carries both is sent as it is; one without them is copied to add them, about 330 bytes a call
     * (the JDK's {@code HttpHeaders} is final: adding a header means building all of them anew).
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
        LOG.atInfo().addKeyValue("retired", retired.number()).addKeyValue("current", current.number())
                .addKeyValue("reason", reason).log("connection generation rotated");
        listener.generationRotated(retired.number(), current.number(), reason);
    }

    /**
     * Configures a {@link ResilientHttpClient}. Not thread-safe; {@link #build()} copies what it holds, so a
     * builder can be changed and built again.
     */
    public static final class Builder {
        private String userAgent;
        private Duration connectTimeout = Defaults.CONNECT_TIMEOUT;
        private Duration requestTimeout = Defaults.REQUEST_TIMEOUT;
        private Duration readIdleTimeout = Defaults.READ_IDLE_TIMEOUT;
        private Duration maxConnectionAge = Defaults.MAX_CONNECTION_AGE;
        private Duration maxIdle = Defaults.MAX_IDLE;
        private Duration staleAfterIdle = Defaults.STALE_AFTER_IDLE;
        private HttpClient.Version version;
        private Executor executor;
        private Clock clock = Clock.systemUTC();
        private HttpEventListener listener = HttpEventListener.NONE;
        private CallPolicy policy = SingleAttemptPolicy.INSTANCE;
        private Consumer<HttpClient.Builder> jdkCustomizer = jdk -> { };
        private List<Pattern> redactions = new ArrayList<>();

        private Builder() {
        }

        /**
         * Required. Who is calling, with a version and a contact, e.g.
         * {@code "article-enricher/2.0 (ops@example.org)"}. Library defaults such as {@code Java-http-client/17}
         * are refused: operators rate-limit and then block them.
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /** How long to wait for a connection. Default 10 s (the JDK has none). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Durations.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long one attempt may wait for its response headers, when the request sets no timeout of its own.
         * Default 30 s (the JDK has none). The body is bounded by {@link #readIdleTimeout}.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Durations.positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * The longest a response body may go without a byte, in every attempt, with or without a policy; the
         * attempt then fails as a {@link FailureKind#REQUEST_TIMEOUT} ({@code HttpTimeoutException}). Default 10 s,
         * OkHttp's read timeout (the JDK has none). It bounds the body that the body handler reads before the
         * response is returned ({@code ofString}, {@code ofByteArray}, {@code ofFile}, ...); a handler that returns
         * a stream at once ({@code ofInputStream}, {@code ofLines}) gets it after the headers, and its reads are
         * then the caller's to bound.
         *
         * @throws IllegalArgumentException if not positive, or too long to count in nanoseconds (about 292 years)
         */
        public Builder readIdleTimeout(Duration readIdleTimeout) {
            this.readIdleTimeout = Durations.positive(readIdleTimeout, "readIdleTimeout");
            return this;
        }

        /**
         * The longest a pool of connections takes new requests. Keep it below the shortest idle timeout on the
         * path: the JDK reuses the connection idle longest first, so only this bounds every connection's idle
         * time. Default 240 s (below an AWS NAT gateway's 350 s).
         */
        public Builder maxConnectionAge(Duration maxConnectionAge) {
            this.maxConnectionAge = Durations.positive(maxConnectionAge, "maxConnectionAge");
            return this;
        }

        /** A pool unused this long is replaced before its next request. Default 50 s (below an AWS ALB's 60 s). */
        public Builder maxIdle(Duration maxIdle) {
            this.maxIdle = Durations.positive(maxIdle, "maxIdle");
            return this;
        }

        /**
         * How long a pooled connection must have sat idle for a reset on it, before any response byte, to be a stale
         * connection: retried at once and free of the retry budget, the pool replaced (at most once per generation per
         * this interval). Any other such reset is the server's: {@code CONNECTION_RESET}, with backoff, counted by the
         * budget and the breaker. Default 1 s: no box drops a connection idle for milliseconds, and the shortest
         * keep-alive timers in use are seconds. Set it below the idle limit of the shortest-lived box on your path if
         * that is under a second.
         */
        public Builder staleAfterIdle(Duration staleAfterIdle) {
            this.staleAfterIdle = Durations.positive(staleAfterIdle, "staleAfterIdle");
            return this;
        }

        /** The HTTP version to prefer. Default: the JDK's (HTTP/2, falling back to HTTP/1.1). */
        public Builder version(HttpClient.Version version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Prefer HTTP/1.1. Advised on JDK 17: its HTTP/2 connections have no idle timeout and a reset on them is
         * never retried by the JDK, while HTTP/1.1 gets the JDK's own expiry and GET retry too.
         */
        public Builder preferHttp1() {
            return version(HttpClient.Version.HTTP_1_1);
        }

        /**
         * The executor for the JDK client's asynchronous work, as {@link HttpClient.Builder#executor} means it: every
         * hand-off of the JDK's, and the caller's body handlers and request bodies that run inside them. Default: one
         * of this client's own, shared by all its connection generations, which runs the JDK's own non-blocking
         * hand-offs at once on the JDK's thread (one thread switch a call, not two) and the caller's code that may
         * block on a bounded pool of worker threads ({@code resilient-http-worker-N-M}, at most 64), and the JDK's own
         * tasks that should not run inline (a TLS handshake's, {@code sendAsync}'s start) on another
         * ({@code resilient-http-jdk-N-M}, at most 64). Give an executor to keep the JDK's behaviour; it is then yours
         * to size and to shut down.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The clock for wall-clock times and, when not the system clock, for elapsed times too (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Hears calls, attempts and rotations. Default: none. */
        public Builder listener(HttpEventListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The policy that judges responses and decides on retries, e.g. the retry module's
         * {@code RetryPolicy.standard()}. Default: one attempt, every response a success, and one immediate
         * re-send after a stale connection for requests that are safe to repeat.
         */
        public Builder retry(CallPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Further settings of each JDK client (proxy, SSL context, authenticator, redirects, cookies), applied
         * after this builder's own. It runs once per connection generation, so it must be repeatable.
         */
        public Builder jdkClient(Consumer<HttpClient.Builder> customizer) {
            this.jdkCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Masks whatever {@code pattern} matches, as {@code <redacted>}, in the URI and the messages of every failure
         * report, exception message, log line and Kafka reason of this client's calls, after the built-in rules (no
         * user info, query, fragment, path parameter, token-shaped path segment or e-mail address). For a path that
         * carries something personal the built-in rules cannot recognise, e.g.
         * {@code redact(Pattern.compile("(?<=/customers/)[^/]+"))}. May be called more than once.
         */
        public Builder redact(Pattern pattern) {
            redactions.add(Objects.requireNonNull(pattern, "pattern"));
            return this;
        }

        /**
         * Builds the client. Opens nothing until the first request.
         *
         * @throws IllegalStateException if the user agent is missing or is a library default
         */
        public ResilientHttpClient build() {
            String checked = UserAgents.check(userAgent);
            if (!UserAgents.hasContact(checked)) {
                LOG.warn("userAgent \"{}\" names no contact (an e-mail address or a URL): API operators ask for "
                        + "one so that they can reach you before they block you", checked);
            }
            Builder copy = new Builder();
            copy.userAgent = checked;
            copy.connectTimeout = connectTimeout;
            copy.requestTimeout = requestTimeout;
            copy.readIdleTimeout = readIdleTimeout;
            copy.maxConnectionAge = maxConnectionAge;
            copy.maxIdle = maxIdle;
            copy.staleAfterIdle = staleAfterIdle;
            copy.version = version;
            copy.executor = executor;
            copy.clock = clock;
            copy.listener = listener;
            copy.policy = policy;
            copy.jdkCustomizer = jdkCustomizer;
            copy.redactions = List.copyOf(redactions);
            return new ResilientHttpClient(copy);
        }
    }
}
