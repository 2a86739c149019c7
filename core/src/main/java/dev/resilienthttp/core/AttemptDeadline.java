package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.Ticker;

import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Bounds the reading of a response body by the deadline of its attempt. The JDK's request timeout stops at the
 * response headers; a body that stalls after them would hold the attempt, and the caller, for ever. When the
 * headers arrive (the JDK asks this handler for the body's subscriber) the {@link DeadlineWatchdog} starts to
 * watch the attempt; at the deadline it cancels the exchange, and the JDK closes the connection.
 *
 * <p>The caller's subscriber is handed to the JDK as it is, never wrapped: the JDK completes its own subscribers
 * on the thread that read the body, but hands any other to its executor, a thread switch per call that cost 13 %
 * of the throughput at 4 threads (benchmarks/results/breakdown.md).
 *
 * <p>A blocking attempt is cancelled by interrupting its thread, which the JDK's {@code send} answers by
 * cancelling the exchange (since JDK 16); an asynchronous one by cancelling its future. {@link #end} tells the
 * attempt whether that happened, and takes the interrupt back, so that nothing of it outlives the attempt. A body
 * handler that returns a stream at once ({@code ofInputStream}) is bounded up to that point, like the JDK's
 * timeout.
 */
final class AttemptDeadline<T> extends DeadlineWatchdog.Entry implements BodyHandler<T> {
    private static final int RUNNING = 0;
    /** The watchdog is interrupting the blocked caller; {@link #EXPIRED} follows at once. */
    private static final int INTERRUPTING = 1;
    private static final int EXPIRED = 2;
    private static final int ENDED = 3;
    private static final int ENDED_EXPIRED = 4;
    /** A field updated in place rather than an {@code AtomicInteger}: 16 bytes less for every bounded attempt. */
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AttemptDeadline.class, "state", int.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private final BodyHandler<T> handler;
    private final Ticker ticker;
    private final long deadlineNanos;
    private final Duration bound;
    /** The thread blocked in {@code send}, or {@code null} for an asynchronous attempt. */
    private final Thread caller;
    /** {@link #RUNNING} and on; read and changed through {@link #STATE}. */
    private volatile int state;
    /** The asynchronous exchange, once {@code sendAsync} returned it. */
    private volatile Future<?> exchange;
    /** Whether the watchdog holds this attempt; only the JDK's thread reading the response sets it. */
    private volatile boolean watched;

    private AttemptDeadline(BodyHandler<T> handler, Ticker ticker, long startedNanos, Duration bound,
                            Thread caller) {
        this.handler = handler;
        this.ticker = ticker;
        this.deadlineNanos = startedNanos + bound.toNanos();
        this.bound = bound;
        this.caller = caller;
    }

    /**
     * A deadline for an attempt that blocks the calling thread in {@code send}.
     *
     * @param startedNanos when, on {@code ticker}, the attempt started
     * @param bound        the longest the attempt may take, body included
     */
    static <T> AttemptDeadline<T> blocking(BodyHandler<T> handler, Ticker ticker, long startedNanos,
                                           Duration bound) {
        return new AttemptDeadline<>(handler, ticker, startedNanos, bound, Thread.currentThread());
    }

    /** A deadline for an asynchronous attempt; give it the exchange with {@link #cancels}. */
    static <T> AttemptDeadline<T> async(BodyHandler<T> handler, Ticker ticker, long startedNanos, Duration bound) {
        return new AttemptDeadline<>(handler, ticker, startedNanos, bound, null);
    }

    @Override
    public BodySubscriber<T> apply(ResponseInfo info) {
        if (!watched && state == RUNNING) {   // the JDK may read several responses (redirects): watch once
            watched = true;
            long left = deadlineNanos - ticker.read();
            DeadlineWatchdog.INSTANCE.watch(this, System.nanoTime() + Math.max(left, 0));
            if (state >= ENDED) {
                DeadlineWatchdog.INSTANCE.unwatch(this);   // the attempt ended while we looked away
            }
        }
        return handler.apply(info);
    }

    /** The asynchronous attempt's exchange, which the deadline cancels. */
    void cancels(Future<?> sent) {
        exchange = sent;
        if (state == EXPIRED) {
            cancelElsewhere(sent);   // it expired before it knew what to cancel
        }
    }

    /** At the deadline, on the watchdog's thread: stops the exchange, unless the attempt has ended. */
    @Override
    void expire() {
        if (caller != null) {
            if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                caller.interrupt();
                state = EXPIRED;
            }
        } else if (STATE.compareAndSet(this, RUNNING, EXPIRED)) {
            Future<?> sent = exchange;
            if (sent != null) {
                cancelElsewhere(sent);
            }
        }
    }

    /**
     * Cancels an asynchronous exchange on another thread: the cancel may complete its future here, and the
     * stages that follow (the policy's, the listener's, the caller's) must not hold up the watchdog and every
     * other deadline. A deadline passes rarely, so the thread this may cost does not matter.
     */
    private static void cancelElsewhere(Future<?> sent) {
        CompletableFuture.runAsync(() -> sent.cancel(true));
    }

    /**
     * Ends the watch: the attempt returned or failed. On a blocking attempt's thread, this takes back the
     * interrupt the deadline made. Calling it again is harmless.
     *
     * @return whether the deadline cancelled the exchange
     */
    boolean end() {
        while (true) {
            int now = state;
            if (now == RUNNING && STATE.compareAndSet(this, RUNNING, ENDED)) {
                DeadlineWatchdog.INSTANCE.unwatch(this);
                return false;
            }
            if (now == INTERRUPTING) {
                Thread.onSpinWait();   // for as long as one Thread.interrupt takes
            } else if (now == EXPIRED && STATE.compareAndSet(this, EXPIRED, ENDED_EXPIRED)) {
                if (caller != null) {
                    Thread.interrupted();   // the deadline's interrupt, not the caller's
                }
                return true;
            } else if (now >= ENDED) {
                return now == ENDED_EXPIRED;
            }
        }
    }

    /** What the attempt failed with when the deadline cancelled it. */
    HttpTimeoutException timeout() {
        return new HttpTimeoutException("the attempt outlasted the " + bound.toMillis() / 1000.0
                + " s the call had left (response body included)");
    }
}
