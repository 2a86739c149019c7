package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.retry.CircuitState;
import dev.resilienthttp.retry.ProtectionListener;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A policy's protections of the upstream, per host: the {@code Retry-After} gate, the 403 latch, the circuit
 * breaker (resilience4j) and the adaptive rate limiter (resilience4j), plus the client-wide retry budget. This
 * class only composes them; each has its own file and its own reason.
 *
 * <p>Before an attempt, in this order: gate, latch, breaker, rate limiter. After it, every protection hears the
 * outcome. Before a retry, the budget.
 */
public final class Protections {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.retry.RetryPolicy");

    private final ProtectionSettings settings;
    private final ProtectionListener listener;
    private final LongSupplier nanoTime;
    private final HostGate gate = new HostGate();
    private final ForbiddenLatch latch;
    private final RetryBudget budget;
    private final CircuitBreakerConfig breakerConfig;
    private final Map<String, HostBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    /** Why and since when each host latched, for a person to read: {@code since <instant>: <reason>}. */
    private final Map<String, String> blockedWhy = new ConcurrentHashMap<>();

    /** Protections with these settings, heard by {@code listener}, on the monotonic clock {@code nanoTime}. */
    public Protections(ProtectionSettings settings, ProtectionListener listener, LongSupplier nanoTime) {
        this.settings = settings;
        this.listener = new SafeProtectionListener(listener);
        this.nanoTime = nanoTime;
        this.latch = settings.latchConsecutive() > 0
                ? new ForbiddenLatch(settings.latchConsecutive(), settings.latchRatio(), settings.latchWindow(),
                settings.latchProbeInterval().toNanos())
                : null;
        this.budget = settings.budgetRatio() >= 0
                ? new RetryBudget(settings.budgetRatio(), settings.budgetMinPerSecond(),
                (int) Math.max(1, settings.budgetTtl().toSeconds()))
                : null;
        this.breakerConfig = settings.breakerFailureRatio() > 0
                ? CircuitBreakerConfig.custom()
                .failureRateThreshold((float) (settings.breakerFailureRatio() * 100))
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerWindow())
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(settings.breakerProbes())
                .build()
                : null;
    }

    /** What a request to {@code host} may do now, with {@code timeLeftNanos} of its deadline. */
    public Admission admit(String host, long timeLeftNanos) {
        long now = nanoTime.getAsLong();
        long held = gate.waitNanos(host, now);
        if (held > 0) {
            Duration wait = Duration.ofNanos(held);
            if (held >= timeLeftNanos) {
                return new Admission.Refuse(FailureKind.DEADLINE_EXCEEDED, "the host is held by a Retry-After for "
                        + Durations.seconds(wait) + ", past the deadline");
            }
            return new Admission.Hold(wait);
        }
        ForbiddenLatch.Verdict verdict = latch == null ? ForbiddenLatch.Verdict.GO : latch.check(host, now);
        if (verdict == ForbiddenLatch.Verdict.REFUSE) {
            listener.callRefused(host, FailureKind.BLOCKED);
            return new Admission.Refuse(FailureKind.BLOCKED, host + " answers 403 to nearly every call: this client "
                    + "is blocked there; a person must contact the API operators, then call unblock(\"" + host
                    + "\")");
        }
        boolean probe = verdict == ForbiddenLatch.Verdict.PROBE;
        HostBreaker breaker = breaker(host);
        if (breaker != null && !breaker.tryAcquire()) {
            if (probe) {
                latch.probeEnded(host);
            }
            listener.callRefused(host, FailureKind.CIRCUIT_OPEN);
            return new Admission.Refuse(FailureKind.CIRCUIT_OPEN, "the circuit breaker for " + host + " is open");
        }
        RateLimiter limiter = limiter(host);
        Duration delay = Duration.ZERO;
        if (limiter != null) {
            long reserved = limiter.reservePermission();
            if (reserved < 0 || reserved >= timeLeftNanos) {
                released(new Permit(this, host, breaker, probe, delay));
                return new Admission.Refuse(FailureKind.DEADLINE_EXCEEDED, "the rate limit for " + host
                        + " leaves no slot before the deadline");
            }
            delay = Duration.ofNanos(reserved);
        }
        return new Permit(this, host, breaker, probe, delay);
    }

    /** Counts a new request for the retry budget: call it before a call's first attempt. */
    public void requestStarted() {
        if (budget != null) {
            budget.request(nanoTime.getAsLong());
        }
    }

    /** Tells every protection how the attempt {@code permit} admitted ended: {@link Permit#record}'s work. */
    void recorded(Permit permit, FailureKind kind, int status, Duration retryAfter, long tookNanos) {
        String host = permit.host();
        long now = nanoTime.getAsLong();
        // First what the permit holds, so that nothing below (a listener, the limiter) can keep it.
        HostBreaker breaker = permit.breaker();
        if (breaker != null) {
            if (kind != null && countsAgainstTheHost(kind)) {
                breaker.failed(tookNanos, kind);
            } else {
                breaker.succeeded(tookNanos);
            }
        }
        ForbiddenLatch.Change change = null;
        if (latch != null) {
            if (status != 0) {
                change = latch.record(host, kind == FailureKind.FORBIDDEN, permit.probe(), now);
            } else if (permit.probe()) {
                latch.probeEnded(host);   // a reset on the probe says nothing of the 403s: the next call probes
            }
        }
        if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()
                && (kind == FailureKind.THROTTLED || kind == FailureKind.SERVER_ERROR)) {
            Duration hold = retryAfter.compareTo(settings.maxRetryAfterHold()) > 0
                    ? settings.maxRetryAfterHold() : retryAfter;
            gate.holdUntil(host, now + hold.toNanos());
            listener.hostHeld(host, hold);
        }
        latched(change);
        RateLimiter limiter = limiter(host);
        if (limiter != null) {
            adapt(host, limiter, kind == FailureKind.THROTTLED);
        }
    }

    /** Gives back what {@code permit} held, telling no protection how the attempt went: {@link Permit#release}. */
    void released(Permit permit) {
        if (permit.breaker() != null) {
            permit.breaker().release();
        }
        if (permit.probe()) {
            latch.probeEnded(permit.host());
        }
    }

    private void latched(ForbiddenLatch.Change change) {
        if (change == null) {
            return;
        }
        String host = change.host();
        if (change.blocked()) {
            blockedWhy.put(host, "since " + Instant.now() + ": " + change.reason());
            LOG.atError().addKeyValue("host", host).addKeyValue("reason", change.reason())
                    .log("{} is BLOCKED ({}): this client is refused there. Stop, and have a person contact the "
                            + "API operators; then call RetryPolicy.unblock(\"{}\")", host, change.reason(), host);
            listener.hostBlocked(host, change.reason());
        } else {
            lifted(host, change.reason());
        }
    }

    private void lifted(String host, String how) {
        blockedWhy.remove(host);
        LOG.atWarn().addKeyValue("host", host).log("{} unblocked: {}", host, how);
        listener.hostUnblocked(host);
    }

    /** Counts the requests the JDK re-sent by itself inside an attempt against the retry budget. */
    public void jdkResent(int requests) {
        if (budget != null && requests > 0) {
            budget.retriedAnyway(nanoTime.getAsLong(), requests);
        }
    }

    /** Whether a retry after {@code kind} may go ahead; refuses it when the budget is spent. */
    public boolean allowRetry(String host, FailureKind kind) {
        // A stale pooled connection is the path's doing, not the host's: its immediate retry costs the host nothing.
        if (budget == null || kind == FailureKind.STALE_CONNECTION) {
            return true;
        }
        boolean allowed = budget.tryRetry(nanoTime.getAsLong());
        if (!allowed) {
            listener.retryRefusedByBudget(host);
        }
        return allowed;
    }

    /** Hosts latched BLOCKED now. */
    public Set<String> blockedHosts() {
        return latch == null ? Set.of() : latch.blockedHosts();
    }

    /** Hosts latched BLOCKED now, each with why and since when ({@code ""} if that was not seen). */
    public Map<String, String> blockedDetails() {
        Map<String, String> details = new HashMap<>();
        blockedHosts().forEach(host -> details.put(host, blockedWhy.getOrDefault(host, "")));
        return details;
    }

    /** Hosts a {@code Retry-After} holds now, each with the time left. */
    public Map<String, Duration> heldHosts() {
        Map<String, Duration> held = new HashMap<>();
        gate.held(nanoTime.getAsLong()).forEach((host, nanos) -> held.put(host, Duration.ofNanos(nanos)));
        return held;
    }

    /** The state of every host's breaker. */
    public Map<String, CircuitState> circuitStates() {
        Map<String, CircuitState> states = new HashMap<>();
        breakers.forEach((host, breaker) -> states.put(host, breaker.state()));
        return states;
    }

    /** Lifts the latch for {@code host}; returns whether it was blocked. */
    public boolean unblock(String host) {
        boolean was = latch != null && latch.unblock(host);
        if (was) {
            lifted(host, "by hand");
        }
        return was;
    }

    /** The state of {@code host}'s breaker ({@link CircuitState#CLOSED} when there is none). */
    public CircuitState circuitState(String host) {
        HostBreaker breaker = breakers.get(host);
        return breaker == null ? CircuitState.CLOSED : breaker.state();
    }

    /** Transport failures and 5xx say the host is unwell; a 4xx or a 429 says it is up and answering. */
    private static boolean countsAgainstTheHost(FailureKind kind) {
        return kind.isTransient() && kind != FailureKind.THROTTLED && kind != FailureKind.STALE_CONNECTION;
    }

    /** Additive increase, multiplicative decrease, between the floor and the configured rate. */
    private void adapt(String host, RateLimiter limiter, boolean throttled) {
        int current = limiter.getRateLimiterConfig().getLimitForPeriod();
        int next = throttled ? Math.max(settings.rateLimitFloor(), current / 2)
                : Math.min(settings.rateLimit(), current + 1);
        if (next != current) {
            limiter.changeLimitForPeriod(next);
            listener.rateLimitChanged(host, next);
        }
    }

    private HostBreaker breaker(String host) {
        if (breakerConfig == null) {
            return null;
        }
        HostBreaker known = breakers.get(host);   // first: computeIfAbsent's capturing lambda allocates
        if (known != null) {
            return known;
        }
        return breakers.computeIfAbsent(host, name -> new HostBreaker(name, breakerConfig, this::circuitChanged));
    }

    private void circuitChanged(String host, CircuitState from, CircuitState to) {
        LOG.atWarn().addKeyValue("host", host).addKeyValue("from", from).addKeyValue("to", to)
                .log("circuit breaker for {} is now {}", host, to);
        listener.circuitStateChanged(host, from, to);
    }

    private RateLimiter limiter(String host) {
        if (settings.rateLimit() <= 0) {
            return null;
        }
        RateLimiter known = limiters.get(host);
        if (known != null) {
            return known;
        }
        return limiters.computeIfAbsent(host, name -> RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(settings.rateLimit())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofDays(1))
                .build()));
    }

}
