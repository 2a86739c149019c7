package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.internal.Origin;
import dev.resilienthttp.core.spi.AttemptResult;
import dev.resilienthttp.core.spi.Call;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One call under a retry policy, driven to its end by one loop for {@code send} and {@code sendAsync} alike: admit
 * (wait where the protections say so), attempt, settle the attempt's {@link Permit}, decide, wait, again. How it
 * waits and attempts is its {@link Pacing}'s: the caller's thread parks, or a timer and the JDK call it back.
 * Retries are not exceptions: a decision to retry is a wait the loop makes.
 *
 * <p>The loop's state is a handful of fields that only the step in progress touches: a step either finishes on the
 * thread that runs the loop or hands the loop to the one that will call {@link #proceed} next, and that hand-off
 * (a timer, a future's completion) orders the fields' writes before the next step's reads.
 *
 * <p>Whatever ends an attempt, its permit is settled once: recorded with the outcome, or released by the loop's
 * one {@code finally} when anything else (interrupt, cancel, closed client, a throwing listener) ends it.
 */
public final class CallRun<T> {

    /**
     * How a run waits and makes its attempts, and hears that it ended: on the caller's thread ({@link Parked}), or
     * without blocking any ({@link Scheduled}). The loop is the same; only this differs.
     */
    public interface Pacing<T> {

        /**
         * Waits {@code delay}: returns {@code true} when the wait is over (the caller parked), or {@code false}
         * when {@code run.proceed()} will be called once it is. If the call is stopped meanwhile (its client closes, or
         * the caller gives it up), the wait ends at once and the run with {@link Call#stopped()}
         * ({@link Call#whenStopped}): no attempt would follow, or be awaited.
         */
        boolean pause(Call<T> call, Duration delay, CallRun<T> run) throws InterruptedException;

        /**
         * Makes the run's next attempt: returns {@code true} when it has handed the result to
         * {@link CallRun#arrived} already, or {@code false} when it will hand it (or {@link CallRun#broke}) and
         * call {@code run.proceed()}.
         */
        boolean attempt(Call<T> call, Duration waited, Duration timeout, CallRun<T> run) throws InterruptedException;

        /** The run ended, on the thread whose step ended it: read {@link CallRun#response} or {@link CallRun#failure}. */
        void ended(CallRun<T> run);
    }

    private final Call<T> call;
    private final RetryDecider decider;
    private final Settings settings;
    private final Protections protections;
    private final Pacing<T> pacing;
    private final String host;
    /** How the call ended: exactly one of these is set once {@link #ended}. */
    private HttpResponse<T> response;
    private Throwable failure;
    private boolean ended;
    /** The wait the loop makes before its next step, or {@code null}. */
    private Duration pause;
    /** The waits since the last attempt, told to the next one for its timeline. */
    private Duration waited = Duration.ZERO;
    /** What admitted the attempt about to go or in flight, or {@code null}. */
    private Permit permit;
    private long attemptStarted;
    /** The attempt's result, handed back by the pacing, until judged. */
    private AttemptResult<T> result;
    private int forbidden;
    /** The wait the decider chose before the attempt just judged ({@link Duration#ZERO} for the first). */
    private Duration lastDelay = Duration.ZERO;

    /** The run of {@code call} under these settings and protections, waiting and attempting by {@code pacing}. */
    public CallRun(Call<T> call, RetryDecider decider, Settings settings, Protections protections, Pacing<T> pacing) {
        this.call = call;
        this.decider = decider;
        this.settings = settings;
        this.protections = protections;
        this.pacing = pacing;
        this.host = Origin.of(call.request().uri()).hostPort();
    }

    /** The call's request. */
    public HttpRequest request() {
        return call.request();
    }

    /** Whether the call has ended. */
    public boolean ended() {
        return ended;
    }

    /** The successful attempt's response, once ended; {@code null} if the call failed. */
    public HttpResponse<T> response() {
        return response;
    }

    /** What ended the call when it did not succeed: an {@link HttpFailureException}, or what interrupted it. */
    public Throwable failure() {
        return failure;
    }

    /** The attempt's result, from the pacing. */
    public void arrived(AttemptResult<T> attempt) {
        result = attempt;
    }

    /** The attempt failed outside the policy's terms (cancelled, closed client, a listener's exception). */
    public void broke(Throwable error) {
        end(null, error);
    }

    /**
     * Runs the call on from where it stands until it ends or waits for a callback. The one loop: every pass
     * either ends the call, waits, admits or attempts, and the decider stops at {@code maxAttempts} and at the
     * deadline.
     */
    public void proceed() {
        try {
            while (!ended) {
                if (result != null) {
                    AttemptResult<T> judged = result;
                    result = null;
                    judge(judged);
                } else if (pause != null) {
                    Duration delay = pause;
                    pause = null;
                    waited = waited.plus(delay);
                    if (!pacing.pause(call, delay, this)) {
                        return;
                    }
                } else if (permit == null) {
                    admit();
                } else {
                    if (call.attempts() == 0) {
                        protections.requestStarted();
                    }
                    Duration before = waited;
                    waited = Duration.ZERO;
                    attemptStarted = System.nanoTime();
                    if (!pacing.attempt(call, before, Duration.ofNanos(nanosLeft()), this)) {
                        return;
                    }
                }
            }
        } catch (Throwable stop) {   // the policy's HttpFailureException, an interrupt, or anything that broke
            end(null, stop);
        }
    }

    private void admit() throws HttpFailureException {
        Admission admission = protections.admit(host, nanosLeft());
        if (admission instanceof Admission.Refuse refuse) {
            end(null, call.failure(refuse.kind(), refuse.detail()));
        } else if (admission instanceof Admission.Hold hold) {
            pause = hold.delay();
        } else {
            permit = (Permit) admission;
            if (!permit.delay().isZero()) {
                pause = permit.delay();
            }
        }
    }

    private void judge(AttemptResult<T> attempt) throws HttpFailureException {
        // The permit stays the run's until it is recorded: if anything before throws, end() gives it back.
        Permit admitted = permit;
        int status = attempt.statusCode();
        long took = System.nanoTime() - attemptStarted;
        protections.jdkResent(attempt.requestsSent() - 1);
        if (attempt.succeeded()) {
            // The common path: no Retry-After to look up, nothing to decide, nothing allocated.
            admitted.record(null, status, null, took);
            permit = null;
            end(attempt.successfulResponse(), null);
            return;
        }
        FailureKind kind = attempt.kind().orElseThrow();
        String retryAfter = attempt.response().flatMap(r -> r.headers().firstValue("Retry-After")).orElse("");
        admitted.record(kind, status,
                retryAfter.isEmpty() ? null : RetryAfter.parse(retryAfter, call.clock().instant()).orElse(null),
                took);
        permit = null;
        if (kind == FailureKind.FORBIDDEN) {
            forbidden++;
        }
        AttemptFacts facts = new AttemptFacts(attempt.number(), kind, attempt.outcome(), status, retryAfter,
                call.request().method(), call.safeToRepeat(), forbidden, lastDelay, call.elapsed(),
                call.clock().instant());
        Decision decision = decider.decide(facts);
        if (decision instanceof Decision.Stop stop) {
            end(null, call.failure(stop.kind(), stop.detail()));
            return;
        }
        if (!protections.allowRetry(host, kind)) {
            end(null, call.failure(FailureKind.RETRY_BUDGET_EXHAUSTED, "the retry budget of this client is spent: "
                    + "too many retries for its recent requests, so the upstream is spared another"));
            return;
        }
        Duration delay = ((Decision.Retry) decision).delay();
        lastDelay = delay;
        if (!delay.isZero()) {
            pause = delay;
        }
    }

    private void end(HttpResponse<T> success, Throwable error) {
        if (ended) {
            return;
        }
        ended = true;
        response = success;
        failure = error;
        try {
            if (permit != null) {
                permit.release();
                permit = null;
            }
        } finally {
            pacing.ended(this);   // whatever releasing threw, the caller hears the end
        }
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
