package dev.resilienthttp.retry;

import dev.resilienthttp.core.ClientClosedException;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.RotationReason;
import dev.resilienthttp.core.internal.ListenerGuard;
import dev.resilienthttp.core.internal.Origin;
import dev.resilienthttp.retry.internal.BoundedTag;
import dev.resilienthttp.retry.internal.CallsInFlight;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.http.Outcome;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Micrometer metrics for a client and its policy. Needs {@code io.micrometer:micrometer-core} on the class path (an
 * optional dependency of this module). It hears both kinds of events, so give it to both builders, then bind it:
 * <pre>{@code
 * ResilientHttpMetrics metrics = ResilientHttpMetrics.builder()
 *         .hosts("api.example.org:443")
 *         .uriTemplate(request -> request.uri().getPath().startsWith("/articles/") ? "/articles/{id}" : null)
 *         .build();
 * RetryPolicy policy = RetryPolicy.builder().protectionListener(metrics).build();
 * ResilientHttpClient client = ResilientHttpClient.builder().userAgent(agent).retry(policy).listener(metrics).build();
 * metrics.bindTo(registry);
 * }</pre>
 * Meters (events before {@code bindTo} are not counted):
 * <ul>
 *   <li>{@code http.client.requests} timer, one per call as the caller saw it (waits and retries included), with
 *       Micrometer's HTTP client tags: {@code method}, {@code uri} (from the template function, else
 *       {@code UNKNOWN}), {@code status} (the code of the response to the call's last attempt, else
 *       {@code UNKNOWN}: a transport failure, or a call stopped while an attempt was in flight), {@code outcome}
 *       ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}, … by that status, else {@code UNKNOWN}),
 *       {@code error} ({@code none} for a success; the call's {@link FailureKind} when the policy failed it; for a
 *       call stopped from outside, {@code INTERRUPTED}, {@code CANCELLED}, {@code CLIENT_CLOSED}, or else the simple
 *       name of the exception's class, as Micrometer's own {@code error} tag: a body handler's
 *       {@code IllegalStateException}, a {@code RejectedExecutionException}) and {@code host};</li>
 *   <li>{@code resilient.http.calls} counter, every call the timer times: tags {@code result} ({@code success};
 *       {@code failure} when the policy failed it; {@code stopped} when it was stopped from outside) and {@code kind}
 *       ({@code none}, or as the timer's {@code error});</li>
 *   <li>{@code resilient.http.attempts.failed} counter, tag {@code kind};</li>
 *   <li>{@code resilient.http.retries} counter: attempts after the first;</li>
 *   <li>{@code resilient.http.calls.refused} counter, tags {@code kind} (BLOCKED, CIRCUIT_OPEN) and {@code host};</li>
 *   <li>{@code resilient.http.retry.budget.refusals} counter, tag {@code host};</li>
 *   <li>{@code resilient.http.generations.rotated} counter, tag {@code reason};</li>
 *   <li>{@code resilient.http.hosts.held} counter, tag {@code host}: a {@code Retry-After} held a whole host;</li>
 *   <li>{@code resilient.http.hosts.blocked} gauge: hosts the 403 latch holds;</li>
 *   <li>{@code resilient.http.circuits.open} gauge: hosts whose breaker is open now;</li>
 *   <li>{@code resilient.http.circuit.state} gauge per named {@code host}: 0 closed, 1 half-open, 2 open.</li>
 * </ul>
 *
 * <p><b>Bounded tags.</b> No tag carries a raw path. The {@code uri} tag comes only from the template function the
 * user supplies, and at most {@value RetryDefaults#METRIC_URIS} of its values are kept, the rest tagged {@code other}
 * (a function that returns raw paths by mistake cannot make a timer per article). The {@code host} tag
 * ({@code host:port}) takes the hosts given to {@link Builder#hosts}, or else the first
 * {@value RetryDefaults#METRIC_HOSTS} hosts seen; every other host is tagged {@code other} and has no
 * {@code circuit.state} gauge of its own (it still counts in {@code circuits.open} and {@code hosts.blocked}). A
 * client that calls a million hosts and paths makes a bounded number of meters.
 */
public final class ResilientHttpMetrics implements MeterBinder, HttpEventListener, ProtectionListener {
    private static final String PREFIX = "resilient.http.";
    private static final String UNKNOWN = "UNKNOWN";
    /** As a status for {@link #timeCall}: the status of the call's latest attempt, as its events told it. */
    private static final int LAST_ATTEMPT = -1;

    private final BoundedTag hosts;
    private final BoundedTag uris;
    private final Function<HttpRequest, String> uriTemplate;
    /** The timers of calls in flight, with the status of each call's latest attempt. */
    private final CallsInFlight<Timer.Sample> inFlight = new CallsInFlight<>();
    private final Set<String> blockedHosts = ConcurrentHashMap.newKeySet();
    private final Set<String> openCircuits = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> circuitStates = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /**
     * Metrics not yet bound to a registry, with the defaults: the first {@value RetryDefaults#METRIC_HOSTS} hosts
     * seen are tagged by name, and every {@code uri} tag is {@code UNKNOWN}.
     */
    public ResilientHttpMetrics() {
        this(new Builder());
    }

    private ResilientHttpMetrics(Builder builder) {
        this.hosts = builder.hosts == null
                ? new BoundedTag(Set.of(), RetryDefaults.METRIC_HOSTS)
                : new BoundedTag(builder.hosts, 0);
        this.uris = new BoundedTag(Set.of(), RetryDefaults.METRIC_URIS);
        this.uriTemplate = builder.uriTemplate;
    }

    /** A builder for metrics that name their hosts or tag calls with a URI template. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        registry.gaugeCollectionSize(PREFIX + "hosts.blocked", Tags.empty(), blockedHosts);
        registry.gaugeCollectionSize(PREFIX + "circuits.open", Tags.empty(), openCircuits);
        circuitStates.forEach((host, state) -> registerCircuitGauge(registry, host, state));
    }

    @Override
    public void attemptStarted(HttpRequest request, int attempt) {
        if (attempt > 1) {
            count("retries", Tags.empty());
        }
        inFlight.attempt(request, 0);   // no response yet: a call stopped now has none
    }

    @Override
    public void callStarted(HttpRequest request) {
        MeterRegistry bound = registry;
        if (bound != null) {
            inFlight.started(request, Timer.start(bound));
        }
    }

    @Override
    public void attemptSucceeded(HttpRequest request, int attempt, HttpResponse<?> response) {
        inFlight.attempt(request, response.statusCode());
    }

    @Override
    public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
        count("attempts.failed", Tags.of("kind", kind.name()));
        inFlight.attempt(request, status);
    }

    @Override
    public void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
        count("calls", Tags.of("result", "success", "kind", "none"));
        timeCall(request, response.statusCode(), "none");
    }

    @Override
    public void callFailed(HttpRequest request, FailureReport report) {
        count("calls", Tags.of("result", "failure", "kind", report.kind().name()));
        timeCall(request, report.lastStatus(), report.kind().name());
    }

    @Override
    public void callEnded(HttpRequest request, int attempts, Throwable cause) {
        String error = stoppedBy(cause);
        count("calls", Tags.of("result", "stopped", "kind", error));
        timeCall(request, LAST_ATTEMPT, error);
    }

    /**
     * The {@code error} tag of a call stopped from outside its policy. What is not an interrupt, a cancel or a closed
     * client is named by its class, as Micrometer's own {@code error} tag names it: a body handler's exception, and
     * the JDK's own, are told apart (a bounded set: the classes the code throws).
     */
    private static String stoppedBy(Throwable cause) {
        if (cause instanceof InterruptedException) {
            return "INTERRUPTED";
        }
        if (cause instanceof CancellationException) {
            return "CANCELLED";
        }
        if (cause instanceof ClientClosedException) {
            return "CLIENT_CLOSED";
        }
        if (cause == null) {
            return UNKNOWN;
        }
        String simpleName = cause.getClass().getSimpleName();
        return simpleName.isEmpty() ? cause.getClass().getName() : simpleName;   // an anonymous class has none
    }

    @Override
    public void generationRotated(int retired, int current, RotationReason reason) {
        count("generations.rotated", Tags.of("reason", reason.name()));
    }

    @Override
    public void hostBlocked(String host, String reason) {
        blockedHosts.add(host);
    }

    @Override
    public void hostUnblocked(String host) {
        blockedHosts.remove(host);
    }

    @Override
    public void hostBlockedRemotely(String host, String reason) {
        blockedHosts.add(host);   // refused here all the same
    }

    @Override
    public void hostUnblockedRemotely(String host) {
        blockedHosts.remove(host);
    }

    @Override
    public void callRefused(String host, FailureKind kind) {
        count("calls.refused", Tags.of("kind", kind.name(), "host", hosts.of(host)));
    }

    @Override
    public void retryRefusedByBudget(String host) {
        count("retry.budget.refusals", Tags.of("host", hosts.of(host)));
    }

    @Override
    public void circuitStateChanged(String host, CircuitState from, CircuitState to) {
        if (to == CircuitState.OPEN) {
            openCircuits.add(host);
        } else {
            openCircuits.remove(host);
        }
        String tag = hosts.of(host);
        if (tag.equals(BoundedTag.OTHER)) {
            return;     // no gauge of its own: a bounded number of gauges whatever the hosts
        }
        AtomicInteger state = circuitStates.computeIfAbsent(tag, h -> {
            AtomicInteger created = new AtomicInteger();
            MeterRegistry bound = registry;
            if (bound != null) {
                registerCircuitGauge(bound, h, created);
            }
            return created;
        });
        state.set(to == CircuitState.OPEN ? 2 : to == CircuitState.HALF_OPEN ? 1 : 0);
    }

    @Override
    public void hostHeld(String host, Duration wait) {
        count("hosts.held", Tags.of("host", hosts.of(host)));
    }

    /**
     * Stops the call's timer, started by {@link #callStarted}; a call started before {@code bindTo} is not timed.
     *
     * @param status the status to tag, or {@link #LAST_ATTEMPT}
     */
    private void timeCall(HttpRequest request, int status, String error) {
        CallsInFlight.Call<Timer.Sample> call = inFlight.ended(request);
        MeterRegistry bound = registry;
        if (call == null || bound == null) {
            return;
        }
        int code = status == LAST_ATTEMPT ? call.lastStatus() : status;
        // The user's function: what it throws is logged, and the call is timed all the same.
        String template = uriTemplate == null ? null : ListenerGuard.get(() -> uriTemplate.apply(request), null,
                "the uriTemplate function of ResilientHttpMetrics", "the call is timed with uri " + UNKNOWN);
        Tags tags = Tags.of(
                "method", request.method(),
                "uri", template == null ? UNKNOWN : uris.of(template),
                "status", code > 0 ? Integer.toString(code) : UNKNOWN,
                "outcome", code > 0 ? Outcome.forStatus(code).name() : Outcome.UNKNOWN.name(),
                "error", error,
                "host", hosts.of(Origin.of(request.uri()).hostPort()));
        call.value().stop(bound.timer("http.client.requests", tags));
    }

    private static void registerCircuitGauge(MeterRegistry registry, String host, AtomicInteger state) {
        registry.gauge(PREFIX + "circuit.state", Tags.of("host", host), state);
    }

    private void count(String name, Tags tags) {
        MeterRegistry bound = registry;
        if (bound != null) {
            bound.counter(PREFIX + name, tags).increment();
        }
    }

    /** Builds {@link ResilientHttpMetrics}; every setting is optional. */
    public static final class Builder {
        private Set<String> hosts;
        private Function<HttpRequest, String> uriTemplate;

        private Builder() {
        }

        /**
         * The hosts ({@code host:port}, e.g. {@code api.example.org:443}; case does not matter) tagged by name; every
         * other host is tagged {@code other}. Without it, the first {@value RetryDefaults#METRIC_HOSTS} hosts seen
         * are named.
         *
         * @throws IllegalArgumentException for anything else than a host and a port, a URL included
         */
        public Builder hosts(String... hosts) {
            Set<String> named = new HashSet<>();
            for (String host : hosts) {
                named.add(hostPort(host));
            }
            this.hosts = Set.copyOf(named);
            return this;
        }

        /** {@code host} as the {@code host} tag writes it: lower-cased, as core's {@link Origin} keys hosts. */
        private static String hostPort(String host) {
            String form = "hosts are named as host:port (e.g. api.example.org:443)";
            if (host == null) {
                throw new IllegalArgumentException(form + ", not null");
            }
            if (host.contains("://")) {
                throw new IllegalArgumentException(form + ", without a scheme (api.example.org:443 for "
                        + "https://api.example.org), not " + host);
            }
            try {
                return Origin.normaliseHostPort(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(form + ", not " + host, e);
            }
        }

        /**
         * The {@code uri} tag of a call: a template such as {@code /articles/{id}}, never the raw path, or
         * {@code null} for {@code UNKNOWN}. Called once per call when it ends, on the thread that ends it; it must be
         * quick. At most {@value RetryDefaults#METRIC_URIS} distinct values are kept, the rest tagged {@code other}.
         * What it throws is logged, and the call is timed with {@code UNKNOWN}.
         */
        public Builder uriTemplate(Function<HttpRequest, String> uriTemplate) {
            this.uriTemplate = Objects.requireNonNull(uriTemplate, "uriTemplate");
            return this;
        }

        public ResilientHttpMetrics build() {
            return new ResilientHttpMetrics(this);
        }
    }
}
