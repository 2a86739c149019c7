package dev.resilienthttp.core.spi;

import dev.resilienthttp.core.ClientClosedException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.FailureKind;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One call of {@link ResilientHttpClient#send} or {@link ResilientHttpClient#sendAsync}, as a {@link CallPolicy}
 * sees it: a request it may attempt several times. Core implements it; policies only use it.
 *
 * <p>Each {@link #attempt} makes exactly one network attempt on the client's current connection generation,
 * classifies its result (transport failures by core, responses by {@link CallPolicy#classify}), records it in
 * the call's timeline and tells the listener. After a {@link FailureKind#STALE_CONNECTION} the client has
 * already moved to fresh connections, so the next attempt does not meet the same stale pool.
 *
 * <p>Attempts of one call are sequential: a policy starts the next only after the previous has completed.
 *
 * @param <T> the response body type
 */
public interface Call<T> {

    /** The request as it is sent: with the client's {@code User-Agent} and per-attempt timeout applied. */
    HttpRequest request();

    /** Attempts made so far (0 before the first). */
    int attempts();

    /**
     * Whether the request may be sent again without risk of doing twice what the server did once: its method is
     * idempotent (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) or it carries an {@code Idempotency-Key} header.
     */
    boolean safeToRepeat();

    /** The client's clock, for wall-clock times such as {@code Retry-After} dates. */
    Clock clock();

    /** Time since the call started, on a monotonic source, waits included. */
    Duration elapsed();

    /**
     * Makes the next network attempt and blocks until it completes; the request's own timeout bounds the wait for
     * the response headers, and the client's read-idle timeout the pauses of the body.
     *
     * @param waited how long the policy waited before this attempt, for the timeline
     * @throws InterruptedException if the calling thread is interrupted while waiting (the attempt is cancelled)
     */
    AttemptResult<T> attempt(Duration waited) throws InterruptedException;

    /**
     * Makes the next network attempt and blocks until it completes, within {@code timeout}: the whole exchange,
     * response body included, and the request's header timeout is lowered to it when shorter. A policy passes
     * what is left of its deadline, so that the deadline bounds the attempt in flight too. An attempt cut short
     * fails as {@link FailureKind#REQUEST_TIMEOUT}.
     *
     * @param waited  how long the policy waited before this attempt, for the timeline
     * @param timeout the longest the attempt may take, positive
     * @throws InterruptedException if the calling thread is interrupted while waiting (the attempt is cancelled)
     */
    AttemptResult<T> attempt(Duration waited, Duration timeout) throws InterruptedException;

    /** {@link #attempt(Duration)} without blocking the calling thread. */
    CompletableFuture<AttemptResult<T>> attemptAsync(Duration waited);

    /** {@link #attempt(Duration, Duration)} without blocking the calling thread. */
    CompletableFuture<AttemptResult<T>> attemptAsync(Duration waited, Duration timeout);

    /**
     * Runs {@code step}, a step of the policy's own that a thread of the policy's set off (a timer ending a wait),
     * on the client's worker threads (at once on the calling thread for a client given an executor of the user's),
     * so that what the step does (the next attempt, the listener's events, the caller's stages) never holds up a
     * thread that serves other calls, such as the timer. An asynchronous policy hands every step its timer starts to
     * this. Core's attempts already end on a thread that may block.
     */
    void resume(Runnable step);

    /**
     * Runs {@code wake} if the call is stopped from outside before the returned handle is run: its client closes, or
     * the caller of {@code sendAsync} gives the call up (cancels its future, or completes it itself, e.g. with
     * {@code orTimeout}). A policy that waits between attempts registers one for each wait and runs the handle when
     * the wait is over, so that the wait ends at once, since no further attempt would be made or awaited, rather than
     * when it runs out. {@code wake} runs at most once: at once on the calling thread if the call is stopped already,
     * otherwise on the thread that closes the client or gives the call up, so it must be quick and must not block:
     * count a latch down, or hand a step to {@link #resume}.
     *
     * @return what forgets {@code wake}: run it when the wait is over
     */
    Runnable whenStopped(Runnable wake);

    /**
     * What ends a call {@link #whenStopped stopped} from outside: a {@link ClientClosedException} when the client
     * closed, whose cause, once an attempt has failed, is {@link #failure()}, the report of the attempts made; a
     * {@link java.util.concurrent.CancellationException} when the caller gave the call up (it hears nothing more).
     */
    RuntimeException stopped();

    /** The failure that ends the call with the last attempt's kind. */
    HttpFailureException failure();

    /**
     * The failure that ends the call with another kind than the last attempt's, e.g. a local protection
     * ({@link FailureKind#CIRCUIT_OPEN}) or a wait the policy refuses ({@link FailureKind#DEADLINE_EXCEEDED}).
     *
     * @param kind   the kind that ends the call
     * @param detail one line saying why, without credentials or bodies
     */
    HttpFailureException failure(FailureKind kind, String detail);
}
