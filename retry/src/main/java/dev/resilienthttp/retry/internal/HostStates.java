package dev.resilienthttp.retry.internal;

import dev.resilienthttp.retry.CircuitState;
import dev.resilienthttp.retry.ProtectionListener;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Each host's circuit breaker and adaptive rate limiter (resilience4j), kept while the host is in use: a breaker is
 * some 5 KB (its window of calls), and a service that calls a host per tenant must not keep one for every host it
 * ever called ({@link PerHost}).
 *
 * <ul>
 *   <li>A host unused for the idle time is forgotten whatever its state: what its breaker and limiter learnt is
 *       that old. A breaker told as open or half-open is told closed as it goes, and a limiter below its rate is
 *       told back at its rate, so that gauges fed by the listener do not keep a forgotten host. The next call to the
 *       host starts afresh, closed and at the full rate.</li>
 *   <li>Past the cap, only hosts whose breaker is closed with no failure in its window and whose limiter is at its
 *       full rate go: they hold nothing a new one would not. Past twice the cap, any host whose breaker is closed
 *       goes; one open or half-open, which keeps calls off a failing host, stays until it is idle.</li>
 * </ul>
 * A host with an attempt in flight stays ({@link #enter}): the attempt's outcome must reach the breaker that admitted
 * it, or a failing host's failures could be told to breakers given up one after another, and it would never open.
 */
final class HostStates {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.retry.RetryPolicy");

    /** One host's breaker and limiter, each {@code null} when the policy has none. */
    final class Host extends PerHost.Entry {
        private final String name;
        final HostBreaker breaker;
        final RateLimiter limiter;

        private Host(String name, long now) {
            super(now);
            this.name = name;
            this.breaker = breakerConfig == null ? null : new HostBreaker(name, breakerConfig, HostStates.this::told);
            this.limiter = rateLimit <= 0 ? null : RateLimiter.of(name, RateLimiterConfig.custom()
                    .limitForPeriod(rateLimit)
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeoutDuration(Duration.ofDays(1))
                    .build());
        }

        @Override
        boolean mayGo(PerHost.Reason reason) {
            switch (reason) {
                case IDLE:
                    return true;
                case PAST_TWICE_CAP:
                    return breaker == null || breaker.state() == CircuitState.CLOSED;
                default:
                    return (breaker == null || breaker.clean()) && (limiter == null || limit(limiter) == rateLimit);
            }
        }

        @Override
        void gone() {
            // A host called again meanwhile has a fresh entry, which tells its own state: this one keeps quiet.
            boolean replaced = hosts.get(name) != null;
            if (breaker != null) {
                breaker.retire(!replaced);
            }
            if (!replaced && limiter != null && limit(limiter) != rateLimit) {
                listener.rateLimitChanged(name, rateLimit);
            }
        }
    }

    private final CircuitBreakerConfig breakerConfig;
    private final int rateLimit;
    private final int rateLimitFloor;
    private final ProtectionListener listener;
    private final long idleNanos;
    private final PerHost<Host> hosts;

    /**
     * @param breakerConfig  each host's breaker; {@code null} for none
     * @param rateLimit      each host's starting and highest permits per second; 0 for no limiter
     * @param rateLimitFloor the lowest a 429 can push a limiter to
     * @param idleNanos      a host unused this long is forgotten
     * @param maxHosts       past this many hosts, those that hold nothing go
     */
    HostStates(CircuitBreakerConfig breakerConfig, int rateLimit, int rateLimitFloor, ProtectionListener listener,
               long idleNanos, int maxHosts) {
        this.breakerConfig = breakerConfig;
        this.rateLimit = rateLimit;
        this.rateLimitFloor = rateLimitFloor;
        this.listener = listener;
        this.idleNanos = idleNanos;
        this.hosts = new PerHost<>(maxHosts);
    }

    /**
     * {@code host}'s breaker and limiter, for an attempt starting at {@code now}; {@code null} when the policy has
     * neither. The host is kept until the attempt ends: call {@link PerHost.Entry#leave} then, once.
     */
    Host enter(String host, long now) {
        if (breakerConfig == null && rateLimit <= 0) {
            return null;
        }
        while (true) {   // a host retired between the look and the entry is asked for again: a fresh one is kept
            Host known = hosts.get(host);   // first: the capturing lambda allocates
            if (known == null) {
                known = hosts.getOrCreate(host, name -> new Host(name, now), now);
            }
            known.touch(now);
            if (known.enter()) {
                return known;
            }
        }
    }

    /** Additive increase, multiplicative decrease, between the floor and the configured rate. */
    void adapt(String host, RateLimiter limiter, boolean throttled) {
        int current = limit(limiter);
        int next = throttled ? Math.max(rateLimitFloor, current / 2) : Math.min(rateLimit, current + 1);
        if (next != current) {
            limiter.changeLimitForPeriod(next);
            listener.rateLimitChanged(host, next);
        }
    }

    /** Forgets the hosts unused for the idle time at {@code now}. */
    void sweep(long now) {
        hosts.sweep(now, idleNanos);
    }

    /** The state of every known host's breaker. */
    Map<String, CircuitState> circuitStates() {
        Map<String, CircuitState> states = new HashMap<>();
        hosts.forEach((host, known) -> {
            if (known.breaker != null) {
                states.put(host, known.breaker.state());
            }
        });
        return states;
    }

    /** The state of {@code host}'s breaker ({@link CircuitState#CLOSED} when there is none). */
    CircuitState circuitState(String host) {
        Host known = hosts.get(host);
        return known == null || known.breaker == null ? CircuitState.CLOSED : known.breaker.state();
    }

    /** How many hosts are known now. */
    int size() {
        return hosts.size();
    }

    private static int limit(RateLimiter limiter) {
        return limiter.getRateLimiterConfig().getLimitForPeriod();
    }

    private void told(String host, CircuitState from, CircuitState to) {
        LOG.atWarn().addKeyValue("host", host).addKeyValue("from", from).addKeyValue("to", to)
                .log("circuit breaker for {} is now {}", host, to);
        listener.circuitStateChanged(host, from, to);
    }
}
