package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.AttemptResult;
import dev.resilienthttp.core.Call;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One call under a retry policy: lets the protections admit each attempt (waiting where they say so), makes it,
 * tells the protections how it went, asks the decider, and says what happened in the terms the retry loops
 * understand (the policy's own for {@code send}, resilience4j's {@code Retry} for {@code sendAsync}): a successful
 * result, a {@link RetrySignal} to wait and go again, or an {@link HttpFailureException} that ends the call.
 * Holds the little history the decision needs.
 */
public final class CallRun<T> {
    private final Call<T> call;
    private final RetryDecider decider;
    private final Settings settings;
    private final Protections protections;
    private final ScheduledExecutorService scheduler;
    private final String host;
    private Duration nextWait = Duration.ZERO;
    private int forbidden;

    /** The run of {@code call} under these settings and protections; async waits go on {@code scheduler}. */
    public CallRun(Call<T> call, RetryDecider decider, Settings settings, Protections protections,
                   ScheduledExecutorService scheduler) {
        this.call = call;
        this.decider = decider;
        this.settings = settings;
        this.protections = protections;
        this.scheduler = scheduler;
        this.host = HostKey.of(call.request().uri());
    }

    /** Makes the next attempt on this thread, after the waits the protections ask for. */
    public AttemptResult<T> attempt() throws RetrySignal, HttpFailureException, InterruptedException {
        Duration waited = nextWait;
        while (true) {
            Admission admission = protections.admit(host, nanosLeft());
            if (admission instanceof Admission.Refuse) {
                throw refusal((Admission.Refuse) admission);
            }
            Duration wait = admission instanceof Admission.Hold
                    ? ((Admission.Hold) admission).delay() : ((Admission.Go) admission).delay();
            if (!wait.isZero()) {
                TimeUnit.NANOSECONDS.sleep(wait.toNanos());
                waited = waited.plus(wait);
            }
            if (admission instanceof Admission.Go) {
                break;
            }
        }
        startRequest();
        long started = System.nanoTime();
        AttemptResult<T> result = call.attempt(waited, Duration.ofNanos(nanosLeft()));
        return judge(result, waited, System.nanoTime() - started, true);
    }

    /**
     * Makes the next attempt without blocking any thread; completes as {@link #attempt()} returns or throws. Never
     * throws itself: retries start on a timer thread, where an exception would vanish and leave the caller waiting.
     */
    public CompletableFuture<AttemptResult<T>> attemptAsync() {
        try {
            return admitAsync(nextWait).thenCompose(waited -> {
                try {
                    startRequest();
                    long started = System.nanoTime();
                    return call.attemptAsync(waited, Duration.ofNanos(nanosLeft())).thenApply(result -> {
                        try {
                            return judge(result, waited, System.nanoTime() - started, false);
                        } catch (RetrySignal | HttpFailureException signal) {
                            throw new CompletionException(signal);
                        }
                    });
                } catch (HttpFailureException deadline) {
                    return CompletableFuture.failedFuture(deadline);
                }
            });
        } catch (Throwable e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The successful attempt's response. */
    public HttpResponse<T> response(AttemptResult<T> success) {
        return success.successfulResponse();
    }

    /** Completes with the total wait once the protections let the attempt go. */
    private CompletableFuture<Duration> admitAsync(Duration waited) {
        Admission admission;
        try {
            admission = protections.admit(host, nanosLeft());
        } catch (HttpFailureException deadline) {
            return CompletableFuture.failedFuture(deadline);
        }
        if (admission instanceof Admission.Refuse) {
            return CompletableFuture.failedFuture(refusal((Admission.Refuse) admission));
        }
        if (admission instanceof Admission.Hold) {
            Duration wait = ((Admission.Hold) admission).delay();
            return delay(wait).thenCompose(ignored -> admitAsync(waited.plus(wait)));
        }
        Duration wait = ((Admission.Go) admission).delay();
        return wait.isZero() ? CompletableFuture.completedFuture(waited)
                : delay(wait).thenApply(ignored -> waited.plus(wait));
    }

    private CompletableFuture<Void> delay(Duration wait) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.schedule(() -> done.complete(null), wait.toNanos(), TimeUnit.NANOSECONDS);
        return done;
    }

    private void startRequest() {
        if (call.attempts() == 0) {
            protections.requestStarted();
        }
    }

    private HttpFailureException refusal(Admission.Refuse refuse) {
        return call.failure(refuse.kind(), refuse.detail());
    }

    /** @param mayBlock whether the body of a failed response may be drained here (not on a client thread) */
    private AttemptResult<T> judge(AttemptResult<T> result, Duration waited, long tookNanos, boolean mayBlock)
            throws RetrySignal, HttpFailureException {
        int status = result.statusCode();
        if (result.succeeded()) {
            // The common path: no Retry-After to look up, nothing to decide, nothing allocated.
            protections.record(host, null, status, null, tookNanos);
            protections.jdkResent(result.requestsSent() - 1);
            return result;
        }
        FailureKind kind = result.kind().orElseThrow();
        String retryAfter = result.response().flatMap(r -> r.headers().firstValue("Retry-After")).orElse("");
        protections.record(host, kind, status,
                retryAfter.isEmpty() ? null : RetryAfter.parse(retryAfter, call.clock().instant()).orElse(null),
                tookNanos);
        protections.jdkResent(result.requestsSent() - 1);
        if (kind == FailureKind.FORBIDDEN) {
            forbidden++;
        }
        AttemptFacts facts = new AttemptFacts(result.number(), kind, result.outcome(), status, retryAfter,
                call.request().method(), call.safeToRepeat(), forbidden, waited, call.elapsed(),
                call.clock().instant());
        Decision decision = decider.decide(facts);
        if (decision instanceof Decision.Retry) {
            if (!protections.allowRetry(host, kind)) {
                throw call.failure(FailureKind.RETRY_BUDGET_EXHAUSTED, "the retry budget of this client is spent: "
                        + "too many retries for its recent requests, so the upstream is spared another");
            }
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

    /** What is left of the deadline for the next attempt, in nanoseconds; none left ends the call. */
    private long nanosLeft() throws HttpFailureException {
        long left = settings.deadline().toNanos() - call.elapsed().toNanos();
        if (left <= 0) {
            throw call.attempts() == 0
                    ? call.failure(FailureKind.DEADLINE_EXCEEDED, "the deadline passed before the first attempt")
                    : call.failure(FailureKind.DEADLINE_EXCEEDED, "no time left for another attempt");
        }
        return left;
    }
}
