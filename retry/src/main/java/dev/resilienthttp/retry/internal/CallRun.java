package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.AttemptResult;
import dev.resilienthttp.core.Call;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One call under a retry policy: makes an attempt, asks the decider, and says what happened in the terms
 * resilience4j's {@code Retry} understands: a successful result, a {@link RetrySignal} to wait and go again, or an
 * {@link HttpFailureException} that ends the call. Holds the little history the decision needs.
 */
public final class CallRun<T> {
    private final Call<T> call;
    private final RetryDecider decider;
    private final Settings settings;
    private Duration nextWait = Duration.ZERO;
    private int forbidden;

    /** The run of {@code call} under these settings. */
    public CallRun(Call<T> call, RetryDecider decider, Settings settings) {
        this.call = call;
        this.decider = decider;
        this.settings = settings;
    }

    /** Makes the next attempt on this thread. */
    public AttemptResult<T> attempt() throws RetrySignal, HttpFailureException, InterruptedException {
        Duration waited = nextWait;
        return judge(call.attempt(waited, timeLeft()), waited, true);
    }

    /**
     * Makes the next attempt without blocking; completes as {@link #attempt()} returns or throws. Never throws
     * itself: retries start on a timer thread, where an exception would vanish and leave the caller waiting.
     */
    public CompletableFuture<AttemptResult<T>> attemptAsync() {
        try {
            Duration waited = nextWait;
            return call.attemptAsync(waited, timeLeft()).thenApply(result -> {
                try {
                    return judge(result, waited, false);
                } catch (RetrySignal | HttpFailureException signal) {
                    throw new CompletionException(signal);
                }
            });
        } catch (Throwable e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The successful attempt's response. */
    public HttpResponse<T> response(AttemptResult<T> success) {
        return success.response().orElseThrow();
    }

    /** @param mayBlock whether the body of a failed response may be drained here (not on a client thread) */
    private AttemptResult<T> judge(AttemptResult<T> result, Duration waited, boolean mayBlock)
            throws RetrySignal, HttpFailureException {
        if (result.succeeded()) {
            return result;
        }
        FailureKind kind = result.kind().orElseThrow();
        if (kind == FailureKind.FORBIDDEN) {
            forbidden++;
        }
        AttemptFacts facts = new AttemptFacts(result.number(), kind, result.outcome(),
                result.response().map(HttpResponse::statusCode).orElse(0),
                result.response().flatMap(r -> r.headers().firstValue("Retry-After")).orElse(""),
                call.request().method(), call.safeToRepeat(), forbidden, waited, call.elapsed(),
                call.clock().instant());
        Decision decision = decider.decide(facts);
        if (decision instanceof Decision.Retry) {
            if (mayBlock) {
                result.discardBody();
            } else {
                result.closeBody();
            }
            nextWait = ((Decision.Retry) decision).delay();
            throw new RetrySignal(nextWait);
        }
        Decision.Stop stop = (Decision.Stop) decision;
        throw call.failure(stop.kind(), stop.detail());
    }

    /** What is left of the deadline for the next attempt; none left ends the call. */
    private Duration timeLeft() throws HttpFailureException {
        Duration left = settings.deadline().minus(call.elapsed());
        if (left.isNegative() || left.isZero()) {
            throw call.attempts() == 0
                    ? call.failure(FailureKind.DEADLINE_EXCEEDED, "the deadline passed before the first attempt")
                    : call.failure(FailureKind.DEADLINE_EXCEEDED, "no time left for another attempt");
        }
        return left;
    }
}
