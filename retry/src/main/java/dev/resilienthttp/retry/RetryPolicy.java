package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.internal.Origin;
import dev.resilienthttp.core.spi.Call;
import dev.resilienthttp.core.spi.CallPolicy;
import dev.resilienthttp.retry.internal.CallRun;
import dev.resilienthttp.retry.internal.Parked;
import dev.resilienthttp.retry.internal.PolicyMBean;
import dev.resilienthttp.retry.internal.Protections;
import dev.resilienthttp.retry.internal.RetryDecider;
import dev.resilienthttp.retry.internal.Scheduled;
import dev.resilienthttp.retry.internal.Settings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * When and how often a {@code ResilientHttpClient} tries a call again. Plug it in with
 * {@code ResilientHttpClient.builder().retry(RetryPolicy.standard())}.
 *
 * <p>After each failed attempt the decision, in this order:
 * <ol>
 *   <li>a permanent kind ({@code CLIENT_ERROR}, {@code IO_ERROR}, ...) ends the call;</li>
 *   <li>a 403 is retried at most {@code forbiddenRetries} times;</li>
 *   <li>a request the server may have acted on is retried only if that is safe: an idempotent method, an
 *       {@code Idempotency-Key}, a rejection (429, 503, 408), or {@code retryNonIdempotent(true)};</li>
 *   <li>at {@code maxAttempts} the call ends;</li>
 *   <li>the wait: none after a stale connection (core has moved to fresh connections); the server's
 *       {@code Retry-After} when it sent one (above {@code maxRetryAfter} the call ends at once, saying so);
 *       otherwise exponential backoff with jitter;</li>
 *   <li>a wait that would end past the {@code deadline} ends the call with {@code DEADLINE_EXCEEDED}.</li>
 * </ol>
 * Before a retry the failed response's body is released. {@code send} and {@code sendAsync} run one loop: it
 * parks the calling thread through each wait for {@code send}, and for {@code sendAsync} waits on a
 * {@link ScheduledExecutorService} and never blocks a thread. Each attempt's admission (circuit breaker, 403 latch
 * probe) is settled exactly once, whatever ends it. The final failure is core's {@code HttpFailureException} with
 * every attempt in its report.
 *
 * <p>Thread-safe, and immutable but for its protections' state and the one fleet channel it may be
 * {@link #link linked} to: one policy may serve many clients.
 */
public final class RetryPolicy implements CallPolicy {
    private final Settings settings;
    private final StatusRules statusRules;
    private final RetryDecider decider;
    private final ScheduledExecutorService scheduler;
    /** When a wait on a scheduler of the user's is looked at again if it has not ended; {@code null} for ours. */
    private final Duration lateWaitCheck;
    private final Protections protections;

    RetryPolicy(Settings settings, Protections protections, ScheduledExecutorService scheduler,
            Duration lateWaitCheck) {
        this.settings = settings;
        this.protections = protections;
        this.statusRules = new StatusRules(settings.statusKinds());
        this.decider = new RetryDecider(settings);
        this.scheduler = scheduler;
        this.lateWaitCheck = lateWaitCheck;
    }

    /**
     * The defaults: 6 attempts; full-jitter exponential backoff from 250 ms, doubling, capped at 30 s;
     * {@code Retry-After} honoured up to 120 s; a 5 min deadline per call; one retry after a 403; unsafe requests
     * without a key never re-sent after they may have been processed.
     */
    public static RetryPolicy standard() {
        return builder().build();
    }

    /** A builder starting from the defaults of {@link #standard()}. */
    public static RetryPolicyBuilder builder() {
        return new RetryPolicyBuilder();
    }

    @Override
    public Optional<FailureKind> classify(HttpResponse.ResponseInfo response) {
        return statusRules.classify(response);
    }

    @Override
    public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
        CallRun<T> run = new CallRun<>(call, decider, settings, protections, Parked.pacing());
        run.proceed();
        Throwable failure = run.failure();
        if (failure == null) {
            return run.response();
        }
        if (failure instanceof IOException) {
            throw (IOException) failure;   // HttpFailureException
        }
        if (failure instanceof InterruptedException) {
            throw (InterruptedException) failure;
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        throw (Error) failure;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
        Scheduled<T> pacing = new Scheduled<>(scheduler, lateWaitCheck);
        new CallRun<>(call, decider, settings, protections, pacing).proceed();
        return pacing.outcome();
    }

    /**
     * The hosts ({@code host:port}) the 403 latch holds BLOCKED: calls to them fail at once, with no traffic, until
     * a person has talked to the API operators and calls {@link #unblock}.
     */
    public Set<String> blockedHosts() {
        return protections.blockedHosts();
    }

    /**
     * Registers this policy in the JVM's platform MBean server as {@code dev.resilienthttp:type=RetryPolicy,name=<name>}
     * ({@link RetryPolicyMXBean}): blocked hosts with why and since when, held hosts, breaker states, and
     * {@code unblock(host)} for the person who talked to the API operators (jconsole, jmxterm, Jolokia).
     *
     * @return what unregisters it
     * @throws IllegalStateException if an MBean of that name is registered already
     */
    public RetryPolicyMXBean.Registration registerMBean(String name) {
        return PolicyMBean.register(protections, Objects.requireNonNull(name, "name"));
    }

    /**
     * Joins this policy to the other instances of its service: {@code channel} hears what this policy learns by
     * itself (a latch, a {@code Retry-After} hold) and a person's {@link #unblock}, and the returned link lets the
     * other instances' signals latch, hold and lift here. One channel at a time; closing the link detaches it.
     * The fleet module ({@code resilient-http-fleet}) calls this for you.
     *
     * @throws IllegalStateException if a channel is linked already
     */
    public FleetLink link(FleetChannel channel) {
        Objects.requireNonNull(channel, "channel");
        protections.link(channel);
        return new FleetLink(protections, channel);
    }

    /**
     * Lifts the 403 latch for {@code host} ({@code host:port}, as {@link #blockedHosts()} names it). With a
     * {@link #link linked} fleet, every instance lifts it too.
     */
    public boolean unblock(String host) {
        return protections.unblock(Objects.requireNonNull(host, "host"));
    }

    /** Lifts the 403 latch for the host of {@code uri}. */
    public boolean unblock(URI uri) {
        return unblock(Origin.of(uri).hostPort());
    }

    /** The state of the circuit breaker for the host of {@code uri}. */
    public CircuitState circuitState(URI uri) {
        return protections.circuitState(Origin.of(uri).hostPort());
    }

    /** The most attempts a call makes, the first included. */
    public int maxAttempts() {
        return settings.maxAttempts();
    }

    /** The longest a call may take, waits included. */
    public Duration deadline() {
        return settings.deadline();
    }
}
