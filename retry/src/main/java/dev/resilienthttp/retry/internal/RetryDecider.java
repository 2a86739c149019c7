package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.core.internal.Redaction;
import dev.resilienthttp.retry.Jitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The retry decision: a pure function of a failed attempt's facts (its number, kind, outcome, status and
 * {@code Retry-After}, the call's elapsed time and the wall clock) to "retry after this wait" or "stop with this
 * kind". No loop, no clock, no sleeping here: the loops around it are thin, and tests drive it with literal times.
 * Its only side effect is one log line the first time a server sends a {@code Retry-After} it cannot read.
 */
public final class RetryDecider {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.retry.RetryPolicy");

    private final Settings settings;
    private final Backoff backoff;
    private final AtomicBoolean malformedRetryAfterLogged = new AtomicBoolean();

    /** A decider for these settings. */
    public RetryDecider(Settings settings) {
        this.settings = settings;
        this.backoff = new Backoff(settings.base(), settings.multiplier(), settings.cap(),
                settings.jitter() == Jitter.FULL ? Backoff.Spread.FULL : Backoff.Spread.DECORRELATED, settings.random());
    }

    /** The decision after the failed attempt {@code facts} describes. */
    public Decision decide(AttemptFacts facts) {
        FailureKind kind = facts.kind();
        // Permanent kinds end the call: asking again cannot change the answer.
        if (!kind.isTransient() && kind != FailureKind.FORBIDDEN) {
            return stop(kind, "");
        }
        // A 403 is not transient, but a few mean a resource is gone: allow a retry or two, no more.
        if (kind == FailureKind.FORBIDDEN && facts.forbiddenSoFar() > settings.forbiddenRetries()) {
            return stop(kind, "");
        }
        // The server may have acted on an unsafe request: sending it again could do it twice.
        if (!mayRepeat(facts)) {
            return stop(kind, "not retried: " + facts.method() + " without an Idempotency-Key may have been "
                    + "processed");
        }
        if (facts.attempt() >= settings.maxAttempts()) {
            return stop(kind, "");
        }
        Duration delay;
        if (kind == FailureKind.STALE_CONNECTION) {
            // Core has moved to fresh connections; a dead pooled connection says nothing about the server.
            delay = Duration.ZERO;
        } else {
            Optional<Duration> asked = facts.retryAfter().isEmpty() ? Optional.empty() : askedWait(facts);
            if (asked.isPresent() && asked.get().compareTo(settings.maxRetryAfter()) > 0) {
                String wait = asked.get().equals(RetryAfter.TOO_LONG) ? "longer than can be counted"
                        : Durations.seconds(asked.get());
                return stop(kind, "the server asked to wait " + wait + " (Retry-After: "
                        + Redaction.truncate(facts.retryAfter(), 40) + "), more than the "
                        + Durations.seconds(settings.maxRetryAfter()) + " cap");
            }
            delay = asked.orElseGet(() -> backoff.after(facts.attempt(), facts.previousDelay()));
        }
        // The deadline bounds the whole call: never start a wait that would end past it.
        if (facts.elapsed().plus(delay).compareTo(settings.deadline()) >= 0) {
            return stop(FailureKind.DEADLINE_EXCEEDED, "the next attempt, " + Durations.seconds(delay) + " from now, would "
                    + "start past the " + Durations.seconds(settings.deadline()) + " deadline");
        }
        return new Decision.Retry(delay);
    }

    /**
     * Safe to send again: nothing reached the server, or the method or a key makes a repeat harmless, or the
     * server rejected it without acting (429, 503 and 408 are rejections), or the user allowed it.
     */
    private boolean mayRepeat(AttemptFacts facts) {
        return facts.outcome() == Outcome.NOT_SENT
                || facts.safeToRepeat()
                || settings.retryNonIdempotent()
                || facts.kind() == FailureKind.THROTTLED
                || facts.status() == 429   // whatever kind the user mapped it to: still a rejection
                || facts.status() == 503
                || facts.status() == 408;
    }

    private Optional<Duration> askedWait(AttemptFacts facts) {
        Optional<Duration> asked = RetryAfter.parse(facts.retryAfter(), facts.now());
        if (asked.isEmpty() && malformedRetryAfterLogged.compareAndSet(false, true)) {
            LOG.atWarn().addKeyValue("retryAfter", facts.retryAfter()).addKeyValue("status", facts.status())
                    .log("unreadable Retry-After header; using the backoff instead (logged once per policy)");
        }
        return asked;
    }

    private static Decision stop(FailureKind kind, String detail) {
        return new Decision.Stop(kind, detail);
    }

}
