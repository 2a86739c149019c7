package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.core.internal.UserAgents;
import dev.resilienthttp.core.spi.CallPolicy;
import dev.resilienthttp.core.spi.Instrumentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Configures a {@link ResilientHttpClient}. Not thread-safe; {@link #build()} copies what it holds, so a
 * builder can be changed and built again.
 */
public final class ResilientHttpClientBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientHttpClient.class);

    String userAgent;
    Duration connectTimeout = Defaults.CONNECT_TIMEOUT;
    Duration requestTimeout = Defaults.REQUEST_TIMEOUT;
    Duration readIdleTimeout = Defaults.READ_IDLE_TIMEOUT;
    Duration maxConnectionAge = Defaults.MAX_CONNECTION_AGE;
    Duration maxIdle = Defaults.MAX_IDLE;
    Duration staleAfterIdle = Defaults.STALE_AFTER_IDLE;
    HttpClient.Version version;
    Executor executor;
    Clock clock = Clock.systemUTC();
    HttpEventListener listener = HttpEventListener.NONE;
    /** {@code null} for none: a call then asks nothing of it and builds nothing for it. */
    Instrumentation instrumentation;
    Level failureLogLevel = Defaults.FAILURE_LOG_LEVEL;
    CallPolicy policy = SingleAttemptPolicy.INSTANCE;
    Consumer<HttpClient.Builder> jdkCustomizer = jdk -> { };
    List<Pattern> redactions = new ArrayList<>();

    ResilientHttpClientBuilder() {
    }

    /**
     * Required. Who is calling, with a version and a contact, e.g.
     * {@code "article-enricher/2.0 (ops@example.org)"}. Library defaults such as {@code Java-http-client/17}
     * are refused: operators rate-limit and then block them.
     */
    public ResilientHttpClientBuilder userAgent(String userAgent) {
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        return this;
    }

    /** How long to wait for a connection. Default 10 s (the JDK has none). */
    public ResilientHttpClientBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = Durations.positive(connectTimeout, "connectTimeout");
        return this;
    }

    /**
     * How long one attempt may wait for its response headers, when the request sets no timeout of its own.
     * Default 30 s (the JDK has none). The body is bounded by {@link #readIdleTimeout}.
     */
    public ResilientHttpClientBuilder requestTimeout(Duration requestTimeout) {
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
    public ResilientHttpClientBuilder readIdleTimeout(Duration readIdleTimeout) {
        this.readIdleTimeout = Durations.positive(readIdleTimeout, "readIdleTimeout");
        return this;
    }

    /**
     * The longest a pool of connections takes new requests. Keep it below the shortest idle timeout on the
     * path: the JDK reuses the connection idle longest first, so only this bounds every connection's idle
     * time. Default 240 s (below an AWS NAT gateway's 350 s).
     */
    public ResilientHttpClientBuilder maxConnectionAge(Duration maxConnectionAge) {
        this.maxConnectionAge = Durations.positive(maxConnectionAge, "maxConnectionAge");
        return this;
    }

    /** A pool unused this long is replaced before its next request. Default 50 s (below an AWS ALB's 60 s). */
    public ResilientHttpClientBuilder maxIdle(Duration maxIdle) {
        this.maxIdle = Durations.positive(maxIdle, "maxIdle");
        return this;
    }

    /**
     * How long a pooled connection must have sat idle for a reset on it, before any response byte, to be a stale
     * connection: retried at once and free of the retry budget, the pool replaced (at most once per generation per
     * this interval). So is a reset on a request that started while another request to the origin, not yet answered,
     * was taking a connection idle that long: the JDK hands pooled connections out in the order requests reach it, so
     * either may get it. Any other such reset is the server's: {@code CONNECTION_RESET}, with backoff, counted by the
     * budget and the breaker. Default 1 s: no box drops a connection idle for milliseconds, and the shortest
     * keep-alive timers in use are seconds. Set it below the idle limit of the shortest-lived box on your path if
     * that is under a second.
     */
    public ResilientHttpClientBuilder staleAfterIdle(Duration staleAfterIdle) {
        this.staleAfterIdle = Durations.positive(staleAfterIdle, "staleAfterIdle");
        return this;
    }

    /** The HTTP version to prefer. Default: the JDK's (HTTP/2, falling back to HTTP/1.1). */
    public ResilientHttpClientBuilder version(HttpClient.Version version) {
        this.version = Objects.requireNonNull(version, "version");
        return this;
    }

    /**
     * Prefer HTTP/1.1. Advised on JDK 17: its HTTP/2 connections have no idle timeout and a reset on them is
     * never retried by the JDK, while HTTP/1.1 gets the JDK's own expiry and GET retry too.
     */
    public ResilientHttpClientBuilder preferHttp1() {
        return version(HttpClient.Version.HTTP_1_1);
    }

    /**
     * The executor for the JDK client's asynchronous work, as {@link HttpClient.Builder#executor} means it: every
     * hand-off of the JDK's, and the caller's body handlers and request bodies that run inside them. Default: one
     * of this client's own, shared by all its connection generations, which runs the JDK's own non-blocking
     * hand-offs at once on the JDK's thread (one thread switch a call, not two) and the caller's code that may
     * block on a bounded pool of worker threads ({@code resilient-http-worker-N-M}, at most 64), and the JDK's own
     * tasks that should not run inline (a TLS handshake's, {@code sendAsync}'s start) on another
     * ({@code resilient-http-jdk-N-M}, at most 64); the steps of a {@code sendAsync} that a thread every call shares
     * sets off (listener events, the policy, the caller's stages) run on the first pool too. Give an executor to keep
     * the JDK's behaviour; it is then yours to size and to shut down, and those steps run where they are set off (the
     * JVM's common pool, the retry timer). A task it rejects does not reach the JDK client, which would take it as
     * its executor's failure and end itself: rejected on the JDK's selector thread, the task goes to the JVM's default
     * asynchronous pool (as JDK 25 does with what it cannot hand over); anywhere else it runs on the thread that
     * handed it over, as {@code CallerRunsPolicy} would.
     */
    public ResilientHttpClientBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** The clock for wall-clock times and, when not the system clock, for elapsed times too (tests). */
    public ResilientHttpClientBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The level of the one log line for a call that failed, after every attempt (its {@code failReason()}). Default
     * {@code DEBUG}: the caller gets the failure as an exception. Recovered attempts are logged at {@code DEBUG},
     * connection-pool rotations at {@code DEBUG} unless a stale connection caused them ({@code INFO}).
     */
    public ResilientHttpClientBuilder failureLogLevel(Level level) {
        this.failureLogLevel = Objects.requireNonNull(level, "level");
        return this;
    }

    /** Hears calls, attempts and rotations. Default: none. */
    public ResilientHttpClientBuilder listener(HttpEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Instruments every call attempt by attempt, for tracing: the OpenTelemetry module's
     * {@code ResilientHttpTelemetry.create(openTelemetry).instrumentation()}, or your own. It sees every network
     * attempt (not only the call's outcome), can add headers to each attempt's request, and is asked at the start of
     * each call on the caller's thread. Composition, for each call:
     * {@code policy(instrumentation(attempt(generation(JDK client))))}: the instrumentation wraps each attempt the
     * policy makes. Default: none, which costs a call nothing.
     */
    public ResilientHttpClientBuilder instrumentation(Instrumentation instrumentation) {
        this.instrumentation = Objects.requireNonNull(instrumentation, "instrumentation");
        return this;
    }

    /**
     * The policy that judges responses and decides on retries, e.g. the retry module's
     * {@code RetryPolicy.standard()}. Default: one attempt, every response a success, and one immediate
     * re-send after a stale connection for requests that are safe to repeat.
     */
    public ResilientHttpClientBuilder retry(CallPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Further settings of each JDK client (proxy, SSL context, authenticator, redirects, cookies), applied
     * after this builder's own. It runs once per connection generation, and once at {@link #build()} on a builder
     * that builds nothing, to check it: it must be repeatable and quick. It must not set the executor: give that to
     * {@link #executor}.
     */
    public ResilientHttpClientBuilder jdkClient(Consumer<HttpClient.Builder> customizer) {
        this.jdkCustomizer = Objects.requireNonNull(customizer, "customizer");
        return this;
    }

    /**
     * Masks whatever {@code pattern} matches, as {@code <redacted>}, in the URI and the messages of every failure
     * report, exception message, log line and Kafka reason of this client's calls, after the built-in rules (no
     * user info, query, fragment, path parameter, token-shaped path segment or e-mail address). For a path that
     * carries something personal the built-in rules cannot recognise, e.g.
     * {@code redact(Pattern.compile("(?<=/customers/)[^/]+"))}. May be called more than once. A pattern that matches
     * the empty string is refused.
     */
    public ResilientHttpClientBuilder redact(Pattern pattern) {
        if (Objects.requireNonNull(pattern, "pattern").matcher("").matches()) {
            throw new IllegalArgumentException("redact: the pattern " + pattern.pattern() + " matches the empty "
                    + "string, so it would redact between every two characters of every URI and message");
        }
        redactions.add(pattern);
        return this;
    }

    /**
     * Builds the client. Opens nothing until the first request.
     *
     * @throws IllegalStateException if the user agent is missing or is a library default, or the
     *                               {@link #jdkClient} customizer throws
     */
    public ResilientHttpClient build() {
        String checked = UserAgents.check(userAgent);
        try {
            // It runs again at each connection generation, the first at the first call: one that throws would fail
            // every call, far from the mistake.
            jdkCustomizer.accept(HttpClient.newBuilder());
        } catch (RuntimeException e) {
            throw new IllegalStateException("jdkClient(…): the customizer threw on a fresh HttpClient.Builder: " + e,
                    e);
        }
        if (!UserAgents.hasContact(checked)) {
            LOG.warn("userAgent \"{}\" names no contact (an e-mail address or a URL): API operators ask for "
                    + "one so that they can reach you before they block you", checked);
        }
        ResilientHttpClientBuilder copy = new ResilientHttpClientBuilder();
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
        copy.instrumentation = instrumentation;
        copy.failureLogLevel = failureLogLevel;
        copy.policy = policy;
        copy.jdkCustomizer = jdkCustomizer;
        copy.redactions = List.copyOf(redactions);
        return new ResilientHttpClient(copy);
    }
}
