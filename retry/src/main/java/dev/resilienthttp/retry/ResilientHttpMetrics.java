package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.RotationReason;
import dev.resilienthttp.retry.internal.HostTags;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer metrics for a client and its policy. Needs {@code io.micrometer:micrometer-core} on the class path (an
 * optional dependency of this module). It hears both kinds of events, so give it to both builders, then bind it:
 * <pre>{@code
 * ResilientHttpMetrics metrics = new ResilientHttpMetrics();
 * RetryPolicy policy = RetryPolicy.builder().protectionListener(metrics).build();
 * ResilientHttpClient client = ResilientHttpClient.builder().userAgent(agent).retry(policy).listener(metrics).build();
 * metrics.bindTo(registry);
 * }</pre>
 * Meters (events before {@code bindTo} are not counted):
 * <ul>
 *   <li>{@code resilient.http.calls} counter, tags {@code result} (success, failure) and {@code kind};</li>
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
 * <p><b>Bounded tags.</b> No tag carries a path, and the {@code host} tag takes a bounded set of values: the hosts
 * given to {@link #forHosts}, or else the first {@value #DEFAULT_MAX_HOSTS} hosts seen; every other host is tagged
 * {@code other} and has no {@code circuit.state} gauge of its own (it still counts in {@code circuits.open} and
 * {@code hosts.blocked}). A client that calls a million hosts makes a bounded number of meters.
 */
public final class ResilientHttpMetrics implements MeterBinder, HttpEventListener, ProtectionListener {
    private static final String PREFIX = "resilient.http.";
    /** Host tag values when no host is named: enough for the APIs one service calls, few enough to chart. */
    static final int DEFAULT_MAX_HOSTS = 50;

    private final HostTags hosts;
    private final Set<String> blockedHosts = ConcurrentHashMap.newKeySet();
    private final Set<String> openCircuits = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> circuitStates = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /** Metrics not yet bound to a registry; the first {@value #DEFAULT_MAX_HOSTS} hosts seen are tagged by name. */
    public ResilientHttpMetrics() {
        this(new HostTags(Set.of(), DEFAULT_MAX_HOSTS));
    }

    private ResilientHttpMetrics(HostTags hosts) {
        this.hosts = hosts;
    }

    /** Metrics that tag only these hosts ({@code host:port}) by name, every other one {@code other}. */
    public static ResilientHttpMetrics forHosts(String... hosts) {
        return new ResilientHttpMetrics(new HostTags(Set.of(hosts), 0));
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
    }

    @Override
    public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
        count("attempts.failed", Tags.of("kind", kind.name()));
    }

    @Override
    public void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
        count("calls", Tags.of("result", "success", "kind", "none"));
    }

    @Override
    public void callFailed(HttpRequest request, FailureReport report) {
        count("calls", Tags.of("result", "failure", "kind", report.kind().name()));
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
        count("calls.refused", Tags.of("kind", kind.name(), "host", hosts.tag(host)));
    }

    @Override
    public void retryRefusedByBudget(String host) {
        count("retry.budget.refusals", Tags.of("host", hosts.tag(host)));
    }

    @Override
    public void circuitStateChanged(String host, CircuitState from, CircuitState to) {
        if (to == CircuitState.OPEN) {
            openCircuits.add(host);
        } else {
            openCircuits.remove(host);
        }
        String tag = hosts.tag(host);
        if (tag.equals(HostTags.OTHER)) {
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
        count("hosts.held", Tags.of("host", hosts.tag(host)));
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
}
