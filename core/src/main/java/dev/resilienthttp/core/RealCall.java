package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.Classification;
import dev.resilienthttp.core.internal.ConnectionAfter;
import dev.resilienthttp.core.internal.FailureClassifier;
import dev.resilienthttp.core.internal.Generation;
import dev.resilienthttp.core.internal.Lease;
import dev.resilienthttp.core.internal.Origin;
import dev.resilienthttp.core.spi.AttemptResult;
import dev.resilienthttp.core.spi.Call;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call: makes its attempts on the client's current generation, classifies and records each, and builds
 * the failure report; what it tells as it goes is its {@link CallEvents}'. What the call has done is one immutable
 * {@link History}, replaced under the call's lock at each step (attempts are sequential, but an async call's complete
 * on different threads) and read without it.
 */
final class RealCall<T> implements Call<T> {
    /** Methods whose repetition has the same effect as one request (RFC 9110 section 9.2.2). */
    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");
    private static final Object UNSETTLED = new Object();
    private static final VarHandle STOP_WAKE;

    static {
        try {
            STOP_WAKE = MethodHandles.lookup().findVarHandle(RealCall.class, "stopWake", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ClientContext context;
    /** The request as the caller and the policy see it: with the client's agent and timeout. */
    private final HttpRequest request;
    /** The request as the JDK is given it: its timeout is kept by each attempt's {@link AttemptDeadline}. */
    private final HttpRequest sent;
    /** How long an attempt may wait for the response headers: the request's timeout. */
    private final Duration headerTimeout;
    /** The request's connection-pool key, computed once: every attempt needs it several times. */
    private final String origin;
    private final BodyHandler<T> handler;
    private final long startNanos;
    private final CallEvents events;

    /** What the call has done so far; replaced, under the call's lock, never changed. */
    private volatile History history = History.NONE;
    private volatile CompletableFuture<?> inFlight;
    private volatile boolean cancelled;
    /** What ends a wait for the next attempt if the call is given up; at most one wait at a time. */
    private volatile Runnable stopWake;
    /** What the call's own end completes {@code sendAsync}'s future with; {@link #UNSETTLED} before. */
    private volatile Object settledWith = UNSETTLED;

    RealCall(ClientContext context, HttpRequest request, BodyHandler<T> handler) {
        this.context = context;
        this.request = request;
        this.sent = PreparedRequest.untimed(request);
        this.headerTimeout = request.timeout().orElseThrow(() -> new IllegalArgumentException("a call's request "
                + "carries its timeout (ResilientHttpClient sets the client's when the request has none)"));
        this.origin = Origin.of(request.uri()).key();
        this.handler = handler;
        this.startNanos = context.ticker().read();
        // Here, on the caller's thread, for sendAsync too: the instrumentation reads the caller's context.
        this.events = new CallEvents(context, request);
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public int attempts() {
        return history.attempts();
    }

    @Override
    public boolean safeToRepeat() {
        // A blank key is no key: a server cannot tell two requests apart by it.
        return IDEMPOTENT_METHODS.contains(request.method())
                || request.headers().firstValue("Idempotency-Key").filter(key -> !key.isBlank()).isPresent();
    }

    @Override
    public Clock clock() {
        return context.clock();
    }

    @Override
    public Duration elapsed() {
        return Duration.ofNanos(context.ticker().read() - startNanos);
    }

    @Override
    public AttemptResult<T> attempt(Duration waited) throws InterruptedException {
        return send(waited, null);
    }

    @Override
    public AttemptResult<T> attempt(Duration waited, Duration timeout) throws InterruptedException {
        return send(waited, positive(timeout));
    }

    @Override
    public CompletableFuture<AttemptResult<T>> attemptAsync(Duration waited) {
        return start(waited, null);
    }

    @Override
    public CompletableFuture<AttemptResult<T>> attemptAsync(Duration waited, Duration timeout) {
        try {
            return start(waited, positive(timeout));
        } catch (IllegalArgumentException badTimeout) {
            return CompletableFuture.failedFuture(badTimeout);
        }
    }

    /**
     * Makes one attempt on the calling thread. The JDK's blocking {@code send} costs less than
     * {@code sendAsync(...).get()}: with two CPUs or fewer, the JDK completes every asynchronous exchange on a new
     * thread. An interrupt cancels the exchange (the JDK does, since 16) and is thrown on.
     *
     * @param bound the longest the whole exchange may take, body included, or {@code null} for the request's
     *              timeout only (which, as the JDK's would, bounds the wait for the response headers)
     */
    private AttemptResult<T> send(Duration waited, Duration bound) throws InterruptedException {
        if (cancelled) {
            throw new CancellationException("the call was cancelled");
        }
        Lease lease = acquire();
        Generation generation = lease.generation();
        int number;
        long started;
        AttemptDeadline<T> deadline;
        HttpRequest outgoing;
        try {
            number = begin();
            outgoing = events.attemptStarting(number, sent);
            started = context.ticker().read();
            try {
                deadline = AttemptDeadline.blocking(handler, context.policy(), headerTimeout,
                        context.readIdleTimeout(), bound, context.generations().whenConnected(lease));
            } catch (RuntimeException | Error e) {
                stopped(number, generation, waited, started, e);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            context.generations().release(lease, context.ticker().read(), ConnectionAfter.CLOSED);
            throw e;
        }
        HttpResponse<T> response = null;
        IOException failure = null;
        InterruptedException interrupt = null;
        boolean expired;
        boolean mayBeStale;
        boolean answered = false;
        try {
            response = deadline.send(generation.client(), outgoing);
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            interrupt = e;
        } catch (RuntimeException | Error e) {   // a body handler's, under the backstop; or the JDK's own
            stopped(number, generation, waited, started, e);
            throw e;
        } finally {
            expired = deadline.end();
            mayBeStale = context.generations().release(lease, context.ticker().read(),
                    response == null ? ConnectionAfter.CLOSED
                            : ConnectionAfter.of(response, deadline.bodyCut()));
        }
        if (interrupt != null) {
            if (!expired) {
                stopped(number, generation, waited, started, interrupt);
                throw interrupt;   // the caller's own
            }
            failure = deadline.timeout();
            answered = deadline.answered();
        }
        // Not a transport failure: it ends the call as itself, as sendAsync's does.
        Throwable notIo = failure == null ? null : FailureClassifier.unwrappedBySend(failure);
        if (notIo != null) {
            stopped(number, generation, waited, started, notIo);
            if (notIo instanceof Error) {
                throw (Error) notIo;
            }
            throw (RuntimeException) notIo;
        }
        return failure == null ? onResponse(number, generation, response, deadline, waited, started)
                : onFailure(number, generation, failure, mayBeStale, answered, waited, started);
    }

    /**
     * Starts one attempt without blocking. Every path ends the returned future, whatever throws, so that no
     * caller waits forever (an async retry starts attempts on a timer thread, where an exception would otherwise
     * vanish).
     *
     * @param bound as for {@link #send}
     */
    private CompletableFuture<AttemptResult<T>> start(Duration waited, Duration bound) {
        if (cancelled) {
            return CompletableFuture.failedFuture(new CancellationException("the call was cancelled"));
        }
        Lease lease;
        try {
            lease = acquire();
        } catch (Throwable closedOrBroken) {
            return CompletableFuture.failedFuture(closedOrBroken);
        }
        Generation generation = lease.generation();
        try {
            int number = begin();
            HttpRequest outgoing = events.attemptStarting(number, sent);
            long started = context.ticker().read();
            AttemptDeadline<T> deadline;
            try {
                deadline = AttemptDeadline.async(handler, context.policy(), headerTimeout, context.readIdleTimeout(),
                        bound, context.generations().whenConnected(lease), context.steps());
            } catch (Throwable e) {
                stopped(number, generation, waited, started, e);
                throw e;
            }
            CompletableFuture<HttpResponse<T>> exchange;
            try {
                exchange = deadline.sendAsync(generation.client(), outgoing);
            } catch (Throwable e) {
                deadline.end();
                stopped(number, generation, waited, started, e);
                throw e;
            }
            inFlight = exchange;
            if (cancelled) {
                exchange.cancel(true);
            }
            // On whatever thread the JDK ends the exchange, what is cheap and the library's own: the deadline's end
            // and the connection's release. The rest tells the listener and runs the policy: where it may block,
            // not on the JDK's thread that completed the exchange (the common pool on JDK 25) nor the one that
            // cancelled it at a deadline.
            CompletableFuture<AttemptResult<T>> ended = exchange.handle((response, error) -> {
                boolean expired = deadline.end();
                boolean mayBeStale = context.generations().release(lease, context.ticker().read(),
                        error == null ? ConnectionAfter.of(response, deadline.bodyCut()) : ConnectionAfter.CLOSED);
                return new Exchanged<>(response, error, expired, mayBeStale);
            }).thenApplyAsync(exchanged -> attemptEnded(number, lease, deadline, waited, started, exchanged),
                    context.steps());
            // The policy gets a copy: one that completes it itself (a timeout of its own, a cancel) stops the
            // exchange, and the attempt still ends here, its span and its listener events with it.
            CompletableFuture<AttemptResult<T>> given = ended.copy();
            given.whenComplete((result, error) -> {
                if (!ended.isDone()) {
                    exchange.cancel(true);
                }
            });
            return given;
        } catch (Throwable e) {
            context.generations().release(lease, context.ticker().read(), ConnectionAfter.CLOSED);
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A connection generation for the next attempt; a closed client's failure tells the attempts made. */
    private Lease acquire() {
        try {
            return context.generations().acquire(context.ticker().read(), origin);
        } catch (ClientClosedException e) {
            throw closed();
        }
    }

    @Override
    public Runnable whenStopped(Runnable wake) {
        AtomicBoolean woken = new AtomicBoolean();
        Runnable once = () -> {
            if (woken.compareAndSet(false, true)) {
                wake.run();
            }
        };
        stopWake = once;
        if (cancelled) {
            once.run();   // given up before the wake was set: a cancel in between runs it too, and once is once
        }
        Runnable forgetClose = context.generations().whenClosed(once);
        return () -> {
            // Only its own: a wait that ended before its wake was set forgets it late, when the next wait may have
            // set its own already.
            STOP_WAKE.compareAndSet(this, once, null);
            forgetClose.run();
        };
    }

    @Override
    public RuntimeException stopped() {
        return cancelled ? new CancellationException("the caller gave the call up") : closed();
    }

    /** What ends the call when the client closed before its next attempt, with the report of the attempts made. */
    ClientClosedException closed() {
        History now = history;
        if (now.lastFailure() == null) {
            return new ClientClosedException("the ResilientHttpClient is closed");
        }
        return new ClientClosedException("the ResilientHttpClient closed before attempt " + (now.attempts() + 1)
                + " of the call; the cause reports the attempts made", failure());
    }

    /**
     * How an asynchronous exchange ended, whether a deadline ended it, and whether its connection may have been stale
     * ({@code Generations#release}).
     */
    private record Exchanged<T>(HttpResponse<T> response, Throwable error, boolean expired, boolean mayBeStale) {
    }

    /**
     * Classifies and reports an asynchronous attempt's end, on a thread that may block. Under the call's lock, as
     * the call's end is told: a caller's cancel on another thread is heard either after the attempt's end or
     * instead of it, never before it.
     */
    private synchronized AttemptResult<T> attemptEnded(int number, Lease lease, AttemptDeadline<T> deadline,
                                                       Duration waited, long started, Exchanged<T> exchanged) {
        Generation generation = lease.generation();
        if (cancelled || events.callEnded()) {
            // The caller cancelled while this waited for a thread, and heard the call end then: nothing of the
            // attempt comes after that, and a body no one will read is let go.
            if (exchanged.response() != null) {
                ResilientHttpClient.closeQuietly(exchanged.response().body());
            }
            CancellationException cancel = new CancellationException("the call was cancelled");
            stopped(number, generation, waited, started, cancel);
            throw cancel;
        }
        Throwable error = exchanged.error();
        if (error == null) {
            return onResponse(number, generation, exchanged.response(), deadline, waited, started);
        }
        if (exchanged.expired()) {
            return onFailure(number, generation, deadline.timeout(), exchanged.mayBeStale(), deadline.answered(),
                    waited, started);
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof IOException) {
            return onFailure(number, generation, (IOException) cause, exchanged.mayBeStale(), false, waited, started);
        }
        stopped(number, generation, waited, started, cause);
        throw cause instanceof CompletionException ? (CompletionException) cause : new CompletionException(cause);
    }

    @Override
    public void resume(Runnable step) {
        context.steps().offload(step);
    }

    private static Duration positive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("an attempt's timeout must be positive, was " + timeout);
        }
        return timeout;
    }

    /**
     * Stops the call: cancels the attempt in flight, ends a wait for the next one ({@link #whenStopped}), and no
     * further attempt starts.
     */
    void cancel() {
        cancelled = true;
        Runnable wake = stopWake;
        if (wake != null) {
            wake.run();
        }
        cancelInFlight();
    }

    /**
     * The caller gave the call up ({@code sendAsync}'s future ended by the caller: a cancel, a timeout of its own, a
     * value of its own): stops it, and tells its end with {@code why}.
     */
    void abandon(Throwable why) {
        cancel();
        ended(why);
    }

    /** Notes what {@code sendAsync}'s future is about to be completed with by the call's own end. */
    void settles(Object outcome) {
        settledWith = outcome;
    }

    /** Whether {@code sendAsync}'s future ended with what the call's own end gave it, rather than by the caller. */
    boolean settledWith(Object response, Throwable error) {
        return settledWith == (error != null ? error : response);
    }

    private void cancelInFlight() {
        CompletableFuture<?> attempt = inFlight;
        if (attempt != null) {
            attempt.cancel(true);
        }
    }

    @Override
    public HttpFailureException failure() {
        History.LastFailure last = history.lastFailure();
        if (last == null) {
            throw new IllegalStateException("a call with no failed attempt has no failure of its own; "
                    + "use failure(kind, detail)");
        }
        return failure(last.attempt().kind(), "");
    }

    @Override
    public HttpFailureException failure(FailureKind kind, String detail) {
        History now = history;
        Duration elapsed = elapsed();
        Instant startedAt = context.clock().instant().minus(elapsed);   // not read at the start: most calls succeed
        FailureReport report = new FailureReport(request.method(), context.redactor().uri(request.uri()), startedAt,
                elapsed, now.timeline(), kind, context.redactor().text(detail, FailureReport.MAX_MESSAGE));
        History.LastFailure last = now.lastFailure();
        HttpFailureException failure = last == null ? new HttpFailureException(report, null, null)
                : new HttpFailureException(report, last.exception(), last.response(), last.bodyPrefix());
        for (IOException earlier : now.transportFailures()) {
            if (last == null || earlier != last.exception()) {
                failure.addSuppressed(earlier);
            }
        }
        return failure;
    }

    /**
     * Tells that the call ended with {@code response}. Under the call's lock, as an asynchronous attempt's end is:
     * a cancel is heard after the attempt's end or instead of it.
     */
    synchronized void succeeded(HttpResponse<T> response) {
        events.callSucceeded(response, attempts());
    }

    /** Tells how the call ended when {@code error} ended it; under the call's lock, as {@link #succeeded}. */
    synchronized void ended(Throwable error) {
        events.callEnded(error, attempts());
    }

    /** Counts one more attempt; returns its number. */
    private synchronized int begin() {
        history = history.started();
        return history.attempts();
    }

    /** @param deadline the attempt's, which judged the response when its headers came */
    private AttemptResult<T> onResponse(int number, Generation generation, HttpResponse<T> response,
                                        AttemptDeadline<T> deadline, Duration waited, long started) {
        Optional<FailureKind> kind = deadline.judgement();
        if (kind.isEmpty()) {
            events.attemptSucceeded(number, generation.number(), waited, tookSince(started), response,
                    history.followsStaleConnection(number));
            return AttemptResult.success(number, response);
        }
        FailureReport.Attempt attempt = new FailureReport.Attempt(number, kind.get(), Outcome.PROCESSED,
                response.statusCode(), "", "", waited, tookSince(started));
        synchronized (this) {
            history = history.failedWithStatus(attempt, response, deadline.errorBodyPrefix());
        }
        events.attemptFailed(attempt, generation.number(), null, "HTTP " + response.statusCode());
        return AttemptResult.failedResponse(number, response, kind.get(), deadline.errorBodyPrefix());
    }

    /**
     * @param mayBeStale whether its connection may have sat idle long enough to be stale ({@code Generations#release})
     * @param answered   whether a deadline cancelled the attempt after the response headers: they prove the request
     *                   processed, which a timeout alone does not
     */
    private AttemptResult<T> onFailure(int number, Generation generation, IOException failure, boolean mayBeStale,
                                       boolean answered, Duration waited, long started) {
        Classification classification = FailureClassifier.classify(failure, mayBeStale);
        FailureKind kind = classification.kind();
        Outcome outcome = answered ? Outcome.PROCESSED : classification.outcome();
        Throwable cause = classification.cause();
        FailureReport.Attempt attempt = new FailureReport.Attempt(number, kind, outcome, 0,
                cause.getClass().getName(), context.redactor().text(classification.message(), FailureReport.MAX_MESSAGE),
                waited, tookSince(started));
        synchronized (this) {
            history = history.failedInTransport(attempt, failure);
        }
        events.attemptFailed(attempt, generation.number(), failure,
                cause.getClass().getName() + ": " + classification.message());
        AttemptResult<T> result = AttemptResult.failedTransport(number, failure, kind, outcome,
                FailureClassifier.jdkResent(request.method(), failure) ? 2 : 1);
        if (kind == FailureKind.STALE_CONNECTION) {
            // One dead pooled connection makes the others of its generation suspect (reactor-netty#938). The request
            // may have claimed a new one and been given another's (Lease#mayBeStale): the pool is suspect all the same.
            context.generations().retire(generation, context.ticker().read(), RotationReason.STALE_CONNECTION);
        }
        return result;
    }

    /** Tells that {@code cause} stopped attempt {@code number} from outside it. */
    private void stopped(int number, Generation generation, Duration waited, long started, Throwable cause) {
        events.attemptStopped(number, generation.number(), waited, tookSince(started), cause);
    }

    private Duration tookSince(long started) {
        return Duration.ofNanos(Math.max(0, context.ticker().read() - started));
    }
}
