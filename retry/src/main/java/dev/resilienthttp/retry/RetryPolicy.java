package dev.resilienthttp.retry;

import dev.resilienthttp.core.AttemptResult;
import dev.resilienthttp.core.Call;
import dev.resilienthttp.core.CallPolicy;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.retry.internal.CallRun;
import dev.resilienthttp.retry.internal.RetryDecider;
import dev.resilienthttp.retry.internal.RetrySignal;
import dev.resilienthttp.retry.internal.RetryTimer;
import dev.resilienthttp.retry.internal.Settings;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

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
 * Before a retry the failed response's body is released. {@code send} runs the attempts with resilience4j's
 * {@code Retry} on the calling thread; {@code sendAsync} waits on a {@link ScheduledExecutorService} and never
 * blocks a thread. The final failure is core's {@code HttpFailureException} with every attempt in its report.
 *
 * <p>Immutable and thread-safe: one policy may serve many clients.
 */
public final class RetryPolicy implements CallPolicy {
    private final Settings settings;
    private final StatusRules statusRules;
    private final RetryDecider decider;
    private final ScheduledExecutorService scheduler;
    private final Retry retry;

    private RetryPolicy(Settings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.statusRules = new StatusRules(settings.statusKinds());
        this.decider = new RetryDecider(settings);
        this.scheduler = scheduler;
        this.retry = Retry.of("resilient-http", RetryConfig.<Object>custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(RetrySignal.class::isInstance)
                .intervalBiFunction((attempt, outcome) -> outcome.isLeft() && outcome.getLeft() instanceof RetrySignal
                        ? ((RetrySignal) outcome.getLeft()).delayMillis() : -1L)
                .failAfterMaxAttempts(false)
                .build());
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
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<FailureKind> classify(HttpResponse<?> response) {
        return statusRules.classify(response);
    }

    @Override
    public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
        CallRun<T> run = new CallRun<>(call, decider, settings);
        try {
            AttemptResult<T> success = Retry.decorateCheckedSupplier(retry, run::attempt).get();
            return run.response(success);
        } catch (RetrySignal interrupted) {
            // resilience4j rethrows the last signal when its sleep is interrupted.
            Thread.interrupted();
            throw new InterruptedException("interrupted while waiting to retry " + call.request().method() + " "
                    + call.request().uri().getPath());
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException("an attempt threw an unexpected checked exception", impossible);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
        CallRun<T> run = new CallRun<>(call, decider, settings);
        return Retry.decorateCompletionStage(retry, scheduler, run::attemptAsync).get()
                .toCompletableFuture().thenApply(run::response);
    }

    /** The most attempts a call makes, the first included. */
    public int maxAttempts() {
        return settings.maxAttempts();
    }

    /** The longest a call may take, waits included. */
    public Duration deadline() {
        return settings.deadline();
    }

    /**
     * Configures a {@link RetryPolicy}, starting from the defaults of {@link RetryPolicy#standard()}. Not
     * thread-safe; {@link #build()} copies what it holds.
     */
    public static final class Builder {
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

        private Builder() {
        }

        /** Attempts per call, the first included (1 = no retry). Default 6. */
        public Builder maxAttempts(int maxAttempts) {
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
        public Builder backoff(Duration base, double multiplier, Duration cap) {
            positive(base, "base");
            positive(cap, "cap");
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
        public Builder jitter(Jitter jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /** The longest {@code Retry-After} honoured; a longer one ends the call at once. Default 120 s. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = positive(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /** The longest a call may take across all attempts, waits included. Default 5 min. */
        public Builder deadline(Duration deadline) {
            this.deadline = positive(deadline, "deadline");
            return this;
        }

        /** Retries allowed after a 403 without {@code Retry-After}. Default 1. */
        public Builder forbiddenRetries(int forbiddenRetries) {
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
        public Builder retryNonIdempotent(boolean retryNonIdempotent) {
            this.retryNonIdempotent = retryNonIdempotent;
            return this;
        }

        /**
         * Judges {@code status} as {@code kind} instead of the standard rule (e.g. a 409 that an API uses for
         * "try again" as {@link FailureKind#SERVER_ERROR}); a 2xx or 3xx mapped here becomes a failure.
         */
        public Builder statusKind(int status, FailureKind kind) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + status);
            }
            statusKinds.put(status, Objects.requireNonNull(kind, "kind"));
            return this;
        }

        /** The source of jitter, e.g. a seeded {@code new Random(42)} for repeatable tests. Default: thread-local. */
        public Builder random(Random random) {
            Objects.requireNonNull(random, "random");
            this.random = () -> random;
            return this;
        }

        /** Where async calls wait between attempts. Default: one shared daemon timer thread. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The policy. */
        public RetryPolicy build() {
            Settings settings = new Settings(maxAttempts, base, multiplier, cap, jitter, maxRetryAfter, deadline,
                    forbiddenRetries, retryNonIdempotent, statusKinds, random);
            return new RetryPolicy(settings, scheduler != null ? scheduler : RetryTimer.shared());
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
            return duration;
        }
    }
}
