package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.retry.internal.ProtectionSettings;
import dev.resilienthttp.retry.internal.Protections;
import dev.resilienthttp.retry.internal.RetryTimer;
import dev.resilienthttp.retry.internal.Settings;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Configures a {@link RetryPolicy}, starting from the defaults of {@link RetryPolicy#standard()}. Not
 * thread-safe; {@link #build()} copies what it holds.
 */
public final class RetryPolicyBuilder {
    private int maxAttempts = RetryDefaults.MAX_ATTEMPTS;
    private Duration base = RetryDefaults.BASE;
    private double multiplier = RetryDefaults.MULTIPLIER;
    private Duration cap = RetryDefaults.CAP;
    private Jitter jitter = Jitter.FULL;
    private Duration maxRetryAfter = RetryDefaults.MAX_RETRY_AFTER;
    private Duration deadline = RetryDefaults.DEADLINE;
    private int forbiddenRetries = RetryDefaults.FORBIDDEN_RETRIES;
    private boolean retryNonIdempotent;
    private final Map<Integer, FailureKind> statusKinds = new HashMap<>();
    private Supplier<Random> random = ThreadLocalRandom::current;
    private ScheduledExecutorService scheduler;
    private int latchConsecutive = RetryDefaults.LATCH_CONSECUTIVE;
    private double latchRatio = RetryDefaults.LATCH_RATIO;
    private int latchWindow = RetryDefaults.LATCH_WINDOW;
    private Duration latchProbeInterval = Duration.ZERO;
    private double breakerFailureRatio = RetryDefaults.BREAKER_FAILURE_RATIO;
    private int breakerWindow = RetryDefaults.BREAKER_WINDOW;
    private Duration breakerOpenFor = RetryDefaults.BREAKER_OPEN_FOR;
    private int breakerProbes = RetryDefaults.BREAKER_PROBES;
    private int rateLimit;
    private int rateLimitFloor = 1;
    private double budgetRatio = RetryDefaults.BUDGET_RATIO;
    private int budgetMinPerSecond = RetryDefaults.BUDGET_MIN_PER_SECOND;
    private Duration budgetTtl = RetryDefaults.BUDGET_TTL;
    private ProtectionListener protectionListener = ProtectionListener.NONE;

    RetryPolicyBuilder() {
    }

    /** Attempts per call, the first included (1 = no retry). Default 6. */
    public RetryPolicyBuilder maxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts counts the first attempt too, so it must be at "
                    + "least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        return this;
    }

    /**
     * Exponential backoff: the n-th retry waits up to {@code base} &times; {@code multiplier}^(n&minus;1),
     * never more than {@code cap}. Default 250 ms, 2, 30 s.
     */
    public RetryPolicyBuilder backoff(Duration base, double multiplier, Duration cap) {
        Durations.positive(base, "base");
        Durations.positive(cap, "cap");
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1, was "
                    + multiplier);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("cap (" + cap + ") must not be shorter than base (" + base + ")");
        }
        this.base = base;
        this.multiplier = multiplier;
        this.cap = cap;
        return this;
    }

    /** How backoff waits are randomised. Default {@link Jitter#FULL}. */
    public RetryPolicyBuilder jitter(Jitter jitter) {
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        return this;
    }

    /** The longest {@code Retry-After} honoured; a longer one ends the call at once. Default 120 s. */
    public RetryPolicyBuilder maxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = Durations.positive(maxRetryAfter, "maxRetryAfter");
        return this;
    }

    /** The longest a call may take across all attempts, waits included. Default 5 min. */
    public RetryPolicyBuilder deadline(Duration deadline) {
        this.deadline = Durations.positive(deadline, "deadline");
        return this;
    }

    /** Retries allowed after a 403 without {@code Retry-After}. Default 1. */
    public RetryPolicyBuilder forbiddenRetries(int forbiddenRetries) {
        if (forbiddenRetries < 0) {
            throw new IllegalArgumentException("forbiddenRetries must not be negative, was " + forbiddenRetries);
        }
        this.forbiddenRetries = forbiddenRetries;
        return this;
    }

    /**
     * Whether a POST or PATCH without an {@code Idempotency-Key} may be re-sent after a failure that may have
     * been processed. Default false. Turn it on only for requests that are reads in disguise (a lookup POST).
     */
    public RetryPolicyBuilder retryNonIdempotent(boolean retryNonIdempotent) {
        this.retryNonIdempotent = retryNonIdempotent;
        return this;
    }

    /**
     * Judges {@code status} as {@code kind} instead of the standard rule (e.g. a 409 that an API uses for
     * "try again" as {@link FailureKind#SERVER_ERROR}); a 2xx or 3xx mapped here becomes a failure.
     */
    public RetryPolicyBuilder statusKind(int status, FailureKind kind) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Objects.requireNonNull(kind, "kind");
        if (!kind.isStatusKind()) {
            throw new IllegalArgumentException("statusKind(" + status + ", " + kind + "): " + kind + " is not a kind a "
                    + "status can be; use THROTTLED, SERVER_ERROR, PERMANENT_SERVER_ERROR, FORBIDDEN or CLIENT_ERROR");
        }
        statusKinds.put(status, kind);
        return this;
    }

    /** The source of jitter, e.g. a seeded {@code new Random(42)} for repeatable tests. Default: thread-local. */
    public RetryPolicyBuilder random(Random random) {
        Objects.requireNonNull(random, "random");
        this.random = () -> random;
        return this;
    }

    /**
     * Where async calls wait between attempts. Default: one shared daemon timer thread. A scheduler of yours must run
     * what it is given; a wait it drops (a {@code shutdownNow()}, a cancel) ends its call with a
     * {@link java.util.concurrent.RejectedExecutionException} about a second after the wait was due.
     */
    public RetryPolicyBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * The 403 latch: a host that answers {@code consecutive} 403s in a row, or 403 to at least {@code ratio}
     * of the last {@code window} responses (at most 10,000), is BLOCKED until {@link RetryPolicy#unblock}. Default
     * 20, 0.9, 50.
     */
    public RetryPolicyBuilder forbiddenLatch(int consecutive, double ratio, int window) {
        if (consecutive < 1 || window < 1 || window > RetryDefaults.MAX_WINDOW || !(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("forbiddenLatch needs consecutive >= 1, 0 < ratio <= 1 and "
                    + "1 <= window <= " + RetryDefaults.MAX_WINDOW + ", was " + consecutive + ", " + ratio + ", "
                    + window);
        }
        this.latchConsecutive = consecutive;
        this.latchRatio = ratio;
        this.latchWindow = window;
        return this;
    }

    /**
     * Lets a BLOCKED host be probed: after {@code interval}, one call goes through, and an answer other than
     * 403 lifts the latch. Default: never (a person decides).
     */
    public RetryPolicyBuilder forbiddenLatchProbe(Duration interval) {
        this.latchProbeInterval = Durations.positive(interval, "interval");
        return this;
    }

    /** No 403 latch. */
    public RetryPolicyBuilder noForbiddenLatch() {
        this.latchConsecutive = 0;
        return this;
    }

    /**
     * The circuit breaker per host: it opens when at least {@code failureRatio} (0 to 1, as every share this
     * builder takes) of the last {@code window} calls failed in transport or with a 5xx, refuses calls with
     * {@code CIRCUIT_OPEN} for {@code openFor} (at least 1 ms), then lets {@code probes} calls through. A window and
     * probes of at most 10,000 each. Default 0.5, 100 calls, 30 s, 3 probes.
     */
    public RetryPolicyBuilder circuitBreaker(double failureRatio, int window, Duration openFor, int probes) {
        if (!(failureRatio > 0 && failureRatio <= 1)) {
            throw new IllegalArgumentException("circuitBreaker's failureRatio is a share from 0 (exclusive) to 1, was "
                    + failureRatio + (failureRatio > 1 && failureRatio <= 100
                    ? ": for " + failureRatio + " %, pass " + failureRatio / 100 : ""));
        }
        if (window < 1 || probes < 1 || window > RetryDefaults.MAX_WINDOW || probes > RetryDefaults.MAX_WINDOW) {
            throw new IllegalArgumentException("circuitBreaker needs window and probes from 1 to "
                    + RetryDefaults.MAX_WINDOW + ", was " + window + ", " + probes);
        }
        if (Durations.positive(openFor, "openFor").compareTo(RetryDefaults.MIN_BREAKER_OPEN_FOR) < 0) {
            throw new IllegalArgumentException("circuitBreaker's openFor must be at least 1 ms, was " + openFor);
        }
        this.breakerFailureRatio = failureRatio;
        this.breakerWindow = window;
        this.breakerOpenFor = openFor;
        this.breakerProbes = probes;
        return this;
    }

    /** No circuit breaker. */
    public RetryPolicyBuilder noCircuitBreaker() {
        this.breakerFailureRatio = 0;
        return this;
    }

    /**
     * An adaptive rate limit per host, off by default: at most {@code permitsPerSecond} attempts a second; each
     * 429 halves it (never below {@code floor}), each other answer raises it by one, back to
     * {@code permitsPerSecond} (at most 1,000,000).
     */
    public RetryPolicyBuilder rateLimit(int permitsPerSecond, int floor) {
        if (floor < 1 || permitsPerSecond < floor || permitsPerSecond > RetryDefaults.MAX_RATE_LIMIT) {
            throw new IllegalArgumentException("rateLimit needs 1 <= floor <= permitsPerSecond <= "
                    + RetryDefaults.MAX_RATE_LIMIT + ", was " + permitsPerSecond + ", " + floor);
        }
        this.rateLimit = permitsPerSecond;
        this.rateLimitFloor = floor;
        return this;
    }

    /**
     * The retry budget of the client (Finagle's): retries may add {@code ratio} (0 to 1: 0.2 is 20 %) to the
     * requests of the last {@code ttl} (1 to 60 s), plus {@code minPerSecond} a second; beyond it a call ends with
     * {@code RETRY_BUDGET_EXHAUSTED}. A first attempt is never refused. Default 0.2, 10/s, 10 s.
     */
    public RetryPolicyBuilder retryBudget(double ratio, int minPerSecond, Duration ttl) {
        if (!(ratio >= 0 && ratio <= 1) || minPerSecond < 0) {
            throw new IllegalArgumentException("retryBudget needs 0 <= ratio <= 1 and minPerSecond >= 0, was "
                    + ratio + ", " + minPerSecond);
        }
        Durations.positive(ttl, "ttl");
        if (ttl.toSeconds() < 1 || ttl.compareTo(RetryDefaults.MAX_BUDGET_TTL) > 0) {
            throw new IllegalArgumentException("the retry budget counts whole seconds; ttl must be from 1 s to "
                    + RetryDefaults.MAX_BUDGET_TTL.toSeconds() + " s, was " + ttl);
        }
        this.budgetRatio = ratio;
        this.budgetMinPerSecond = minPerSecond;
        this.budgetTtl = ttl;
        return this;
    }

    /** No retry budget. */
    public RetryPolicyBuilder noRetryBudget() {
        this.budgetRatio = -1;
        return this;
    }

    /** Hears what the protections do. Default: none. */
    public RetryPolicyBuilder protectionListener(ProtectionListener listener) {
        this.protectionListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * The policy. For each call it composes, outermost first:
     * <pre>{@code
     * retry(budget(gate -> latch -> breaker -> rate limiter -> attempt))
     * }</pre>
     * Before every attempt the host's {@code Retry-After} gate may make it wait, the 403 latch may refuse it
     * ({@code BLOCKED}), the circuit breaker may refuse it ({@code CIRCUIT_OPEN}) and the rate limiter may make
     * it wait; after a failed attempt the decision may retry, if the retry budget allows
     * ({@code RETRY_BUDGET_EXHAUSTED} otherwise). The protections' state (latch, breakers, limiters, gate,
     * budget) belongs to the policy: give each client its own, or share one policy to share it. A host's state is
     * forgotten once the host has gone unused for {@code 10 min} (a breaker told open is told closed as it goes),
     * but never a BLOCKED latch or a hold in force; past 10,000 hosts, those whose state holds nothing go first.
     */
    public RetryPolicy build() {
        Settings settings = new Settings(maxAttempts, base, multiplier, cap, jitter, maxRetryAfter, deadline,
                forbiddenRetries, retryNonIdempotent, statusKinds, random);
        ProtectionSettings protectionSettings = new ProtectionSettings(latchConsecutive, latchRatio, latchWindow,
                latchProbeInterval, breakerFailureRatio, breakerWindow, breakerOpenFor, breakerProbes, rateLimit,
                rateLimitFloor, budgetRatio, budgetMinPerSecond, budgetTtl, maxRetryAfter,
                RetryDefaults.HOST_IDLE_EXPIRY, RetryDefaults.MAX_HOSTS, RetryDefaults.HOST_SWEEP_EVERY);
        return new RetryPolicy(settings, new Protections(protectionSettings, protectionListener, System::nanoTime),
                scheduler != null ? scheduler : RetryTimer.shared(),
                scheduler != null ? RetryDefaults.LATE_WAIT_CHECK : null);
    }
}
