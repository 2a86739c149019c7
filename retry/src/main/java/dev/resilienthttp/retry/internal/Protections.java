package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.retry.CircuitState;
import dev.resilienthttp.retry.FleetChannel;
import dev.resilienthttp.retry.ProtectionListener;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A policy's protections of the upstream, per host: the {@code Retry-After} gate, the 403 latch, the circuit
 * breaker (resilience4j) and the adaptive rate limiter (resilience4j), plus the client-wide retry budget. This
 * class only composes them; each has its own file and its own reason.
 *
 * <p>Before an attempt, in this order: gate, latch, breaker, rate limiter. After it, every protection hears the
 * outcome. Before a retry, the budget.
 *
 * <p>The gate and the latch can also be set from outside, by the other instances of the service through a linked
 * {@link FleetChannel}: what is set that way is heard as remote and never told back to the channel.
 *
 * <p>What is kept per host is bounded: now and then ({@code hostSweepEvery}), a call or a look at the circuit states
 * forgets the hosts unused for the idle time, but for a BLOCKED latch and a hold in force; and past {@code maxHosts},
 * hosts whose state holds nothing go first. See {@link HostStates}, {@link ForbiddenLatch}, {@link HostGate}.
 */
public final class Protections {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.retry.RetryPolicy");
    private static final Duration MAX_SHIFT = Duration.ofDays(100);

    private final ProtectionSettings settings;
    private final ProtectionListener listener;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final HostGate gate = new HostGate();
    private final FleetTie fleet = new FleetTie();
    private final BlockedHosts blocked;
    private final RetryBudget budget;
    private final HostStates hosts;
    private final long idleNanos;
    private final long sweepEveryNanos;
    /** When the next sweep is due, on {@code nanoTime}. */
    private final AtomicLong nextSweep;

    /** Protections with these settings, heard by {@code listener}, on the monotonic clock {@code nanoTime}. */
    public Protections(ProtectionSettings settings, ProtectionListener listener, LongSupplier nanoTime) {
        this(settings, listener, nanoTime, Clock.systemUTC());
    }

    /**
     * Protections on the monotonic clock {@code nanoTime} for waits, and the wall clock {@code clock} for what
     * crosses process boundaries (a hold's end told to or by other instances, when a host latched).
     */
    public Protections(ProtectionSettings settings, ProtectionListener listener, LongSupplier nanoTime, Clock clock) {
        this.settings = settings;
        this.listener = new SafeProtectionListener(listener);
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.blocked = new BlockedHosts(settings.latchConsecutive() > 0
                ? new ForbiddenLatch(settings.latchConsecutive(), settings.latchRatio(), settings.latchWindow(),
                settings.latchProbeInterval().toNanos(), settings.maxHosts())
                : null, this.listener, fleet, clock);
        this.budget = settings.budgetRatio() >= 0
                ? new RetryBudget(settings.budgetRatio(), settings.budgetMinPerSecond(),
                (int) Math.max(1, settings.budgetTtl().toSeconds()))
                : null;
        CircuitBreakerConfig breakerConfig = settings.breakerFailureRatio() > 0
                ? CircuitBreakerConfig.custom()
                .failureRateThreshold((float) (settings.breakerFailureRatio() * 100))
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerWindow())
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(settings.breakerProbes())
                .build()
                : null;
        this.idleNanos = settings.hostIdleExpiry().toNanos();
        // An open breaker is not forgotten before its open period is over, however short the idle time is set.
        this.hosts = new HostStates(breakerConfig, settings.rateLimit(), settings.rateLimitFloor(), this.listener,
                Math.max(idleNanos, settings.breakerOpenFor().toNanos()), settings.maxHosts());
        this.sweepEveryNanos = settings.hostSweepEvery().toNanos();
        this.nextSweep = new AtomicLong(nanoTime.getAsLong() + sweepEveryNanos);
    }

    /** What a request to {@code host} may do now, with {@code timeLeftNanos} of its deadline. */
    public Admission admit(String host, long timeLeftNanos) {
        long now = nanoTime.getAsLong();
        sweepIfDue(now);
        long held = gate.waitNanos(host, now);
        if (held > 0) {
            Duration wait = Duration.ofNanos(held);
            if (held >= timeLeftNanos) {
                return new Admission.Refuse(FailureKind.DEADLINE_EXCEEDED, "the host is held by a Retry-After for "
                        + Durations.seconds(wait) + ", past the deadline");
            }
            return new Admission.Hold(wait);
        }
        ForbiddenLatch.Pass pass = blocked.check(host, now);
        if (pass.verdict() == ForbiddenLatch.Verdict.REFUSE) {
            return blocked.refuse(host);
        }
        HostStates.Host known = hosts.enter(host, now);
        Admission admission = null;
        try {
            admission = admitEntered(host, known, pass, timeLeftNanos);
            return admission;
        } finally {
            if (known != null && !(admission instanceof Permit)) {
                known.leave();   // refused, or broken: no permit carries the host, which may be forgotten again
            }
        }
    }

    /**
     * The breaker's and the limiter's part of {@link #admit}, for a host entered for the attempt; leaves it to
     * {@link #admit} to let go of the host when no permit comes of it.
     */
    private Admission admitEntered(String host, HostStates.Host known, ForbiddenLatch.Pass pass, long timeLeftNanos) {
        HostBreaker breaker = known == null ? null : known.breaker;
        Object permission = breaker == null ? null : breaker.tryAcquire();
        if (permission == HostBreaker.REFUSED) {
            blocked.probeEnded(host, pass);
            listener.callRefused(host, FailureKind.CIRCUIT_OPEN);
            return new Admission.Refuse(FailureKind.CIRCUIT_OPEN, "the circuit breaker for " + host + " is open");
        }
        RateLimiter limiter = known == null ? null : known.limiter;
        Duration delay = Duration.ZERO;
        if (limiter != null) {
            long reserved = limiter.reservePermission();
            if (reserved < 0 || reserved >= timeLeftNanos) {
                if (breaker != null) {
                    breaker.release(permission);
                }
                blocked.probeEnded(host, pass);
                return new Admission.Refuse(FailureKind.DEADLINE_EXCEEDED, "the rate limit for " + host
                        + " leaves no slot before the deadline");
            }
            delay = Duration.ofNanos(reserved);
        }
        return new Permit(this, host, known, permission, pass, delay);
    }

    /** Counts a new request for the retry budget: call it before a call's first attempt. */
    public void requestStarted() {
        if (budget != null) {
            budget.request(nanoTime.getAsLong());
        }
    }

    /** Tells every protection how the attempt {@code permit} admitted ended: {@link Permit#record}'s work. */
    void recorded(Permit permit, FailureKind kind, int status, Duration retryAfter, long tookNanos) {
        try {
            tell(permit, kind, status, retryAfter, tookNanos);
        } finally {
            if (permit.hostState() != null) {
                permit.hostState().leave();   // whatever telling threw: the host may be forgotten again
            }
        }
    }

    private void tell(Permit permit, FailureKind kind, int status, Duration retryAfter, long tookNanos) {
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
        if (status != 0) {
            change = blocked.record(host, kind == FailureKind.FORBIDDEN, permit.pass(), now);
        } else {
            blocked.probeEnded(host, permit.pass());   // a reset on a probe says nothing of the 403s: the next probes
        }
        if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()
                && (kind == FailureKind.THROTTLED || kind == FailureKind.SERVER_ERROR)) {
            Duration hold = retryAfter.compareTo(settings.maxRetryAfterHold()) > 0
                    ? settings.maxRetryAfterHold() : retryAfter;
            gate.holdUntil(host, now + hold.toNanos());
            listener.hostHeld(host, hold);
            Instant until = clock.instant().plus(hold);
            fleet.tell(channel -> channel.held(host, until));
        }
        blocked.announce(change);
        HostStates.Host known = permit.hostState();
        if (known != null && known.limiter != null) {
            hosts.adapt(host, known.limiter, kind == FailureKind.THROTTLED);
        }
    }

    /** Gives back what {@code permit} held, telling no protection how the attempt went: {@link Permit#release}. */
    void released(Permit permit) {
        try {
            if (permit.breaker() != null) {
                permit.breaker().release(permit.breakerPermission());
            }
            blocked.probeEnded(permit.host(), permit.pass());
        } finally {
            if (permit.hostState() != null) {
                permit.hostState().leave();
            }
        }
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
        return blocked.hosts();
    }

    /** Hosts latched BLOCKED now, each with why and since when ({@code ""} if that was not seen). */
    public Map<String, String> blockedDetails() {
        return blocked.details();
    }

    /** Hosts a {@code Retry-After} holds now, each with the time left. */
    public Map<String, Duration> heldHosts() {
        Map<String, Duration> held = new HashMap<>();
        gate.held(nanoTime.getAsLong()).forEach((host, nanos) -> held.put(host, Duration.ofNanos(nanos)));
        return held;
    }

    /** The state of every known host's breaker; a look at them forgets idle hosts, as a call does. */
    public Map<String, CircuitState> circuitStates() {
        sweepIfDue(nanoTime.getAsLong());
        return hosts.circuitStates();
    }

    /**
     * Lifts the latch for {@code host} because a person said so, and tells a linked fleet, so that every instance
     * resumes; returns whether it was blocked here.
     */
    public boolean unblock(String host) {
        return blocked.unblock(host);
    }

    /**
     * Latches {@code host} because another instance did, its latch closing at {@code since}: see
     * {@code FleetLink.block}.
     */
    public boolean blockRemotely(String host, String reason, Instant since) {
        long now = nanoTime.getAsLong();
        return blocked.blockRemotely(host, reason, monotonic(since, now), now);
    }

    /** Holds {@code host} because another instance was told to: see {@code FleetLink.hold}. */
    public boolean holdRemotely(String host, Instant until) {
        Duration wait = Duration.between(clock.instant(), until);
        if (wait.isNegative() || wait.isZero()) {
            return false;
        }
        // Capped as a local Retry-After is: another instance's word can cost no more than the server's own.
        Duration hold = wait.compareTo(settings.maxRetryAfterHold()) > 0 ? settings.maxRetryAfterHold() : wait;
        long now = nanoTime.getAsLong();
        if (gate.waitNanos(host, now) >= hold.toNanos()) {
            return false;
        }
        gate.holdUntil(host, now + hold.toNanos());
        LOG.atInfo().addKeyValue("host", host).addKeyValue("remote", true)
                .log("{} held for {}: another instance of this service was sent a Retry-After", host,
                        Durations.seconds(hold));
        listener.hostHeldRemotely(host, hold);
        return true;
    }

    /**
     * Lifts the latch for {@code host} because a person did at {@code at} on another instance, unless it closed after
     * that: see {@code FleetLink.lift}.
     */
    public boolean liftRemotely(String host, String reason, Instant at) {
        long now = nanoTime.getAsLong();
        return blocked.liftRemotely(host, reason, monotonic(at, now));
    }

    /**
     * The monotonic reading at the wall-clock instant {@code at}, {@code now} being the reading at the clock's
     * present. Clamped to 100 days either way, which no latch outlives, so that a wild instant cannot overflow.
     */
    private long monotonic(Instant at, long now) {
        Duration ago = Duration.between(at, clock.instant());
        if (ago.compareTo(MAX_SHIFT) > 0) {
            ago = MAX_SHIFT;
        } else if (ago.compareTo(MAX_SHIFT.negated()) < 0) {
            ago = MAX_SHIFT.negated();
        }
        return now - ago.toNanos();
    }

    /** Attaches the fleet's channel: see {@code RetryPolicy.link}. */
    public void link(FleetChannel channel) {
        fleet.link(channel);
    }

    /** Detaches {@code channel}, if it is the one attached. */
    public void unlink(FleetChannel channel) {
        fleet.unlink(channel);
    }

    /** The state of {@code host}'s breaker ({@link CircuitState#CLOSED} when there is none). */
    public CircuitState circuitState(String host) {
        return hosts.circuitState(host);
    }

    /** How many hosts each per-host map keeps now. For tests. */
    Tracked hostsTracked() {
        return new Tracked(hosts.size(), blocked.tracked(), gate.size());
    }

    /** How many hosts each per-host map keeps: breakers and limiters, the 403 latch, the gate. */
    record Tracked(int breakers, int latch, int gate) {
        static final Tracked NONE = new Tracked(0, 0, 0);
    }

    /**
     * Forgets idle hosts if a sweep is due at {@code now}: one pass over each host map, once per sweep interval, on
     * the thread that wins the turn; the others go on at once.
     */
    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + sweepEveryNanos)) {
            return;
        }
        hosts.sweep(now);
        blocked.sweep(now, idleNanos);
        gate.sweep(now);
    }

    /** Transport failures and 5xx say the host is unwell; a 4xx or a 429 says it is up and answering. */
    private static boolean countsAgainstTheHost(FailureKind kind) {
        return kind.isTransient() && kind != FailureKind.THROTTLED && kind != FailureKind.STALE_CONNECTION;
    }
}
