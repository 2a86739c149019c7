package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.Ticker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The deadlines of one attempt, kept by the {@link DeadlineWatchdog} instead of the JDK: the request timeout, for
 * the response headers, and the policy's bound on the whole attempt, body included, when it sets one. At a
 * deadline the exchange is cancelled, and the JDK closes the connection.
 *
 * <p>Why not the JDK's own request timeout: for each request that has one, the JDK registers a timer and wakes its
 * selector thread ({@code HttpClientImpl.registerTimer}), a context switch per call that the load pays for when
 * the CPUs are busy. And the JDK's timeout stops at the headers: a body that stalls after them would hold the
 * attempt, and the caller, for ever. The watchdog wakes no one for a deadline later than the one it sleeps until.
 *
 * <p>Why not a wrapper around the caller's {@code BodySubscriber}: the JDK completes its own subscribers on the
 * thread that read the body, but hands any other one to its executor, again a thread switch per call. This class
 * is the body handler only to learn when the headers arrive; the subscriber goes to the JDK as it is.
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
    /** A field updated in place rather than an {@code AtomicInteger}: 16 bytes less for every attempt. */
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
    private final long startedNanos;
    private final Duration headers;
    /** The bound on the whole attempt, or {@code null} when only the headers are bounded. */
    private final Duration whole;
    /** The thread blocked in {@code send}, or {@code null} for an asynchronous attempt. */
    private final Thread caller;
    /** {@link #RUNNING} and on; read and changed through {@link #STATE}. */
    private volatile int state;
    /** Whether the response headers arrived; from then on only {@link #whole} bounds the attempt. */
    private volatile boolean headersArrived;
    /** The asynchronous exchange, once {@code sendAsync} returned it. */
    private volatile Future<?> exchange;

    private AttemptDeadline(BodyHandler<T> handler, Ticker ticker, long startedNanos, Duration headers,
                            Duration whole, Thread caller) {
        this.handler = handler;
        this.ticker = ticker;
        this.startedNanos = startedNanos;
        this.headers = headers;
        this.whole = whole;
        this.caller = caller;
    }

    /**
     * Starts to watch an attempt that blocks the calling thread in {@code send}.
     *
     * @param startedNanos when, on {@code ticker}, the attempt started
     * @param headers      the longest the response headers may take (the request timeout)
     * @param whole        the longest the whole attempt may take, body included, or {@code null} for no bound
     */
    static <T> AttemptDeadline<T> blocking(BodyHandler<T> handler, Ticker ticker, long startedNanos,
                                           Duration headers, Duration whole) {
        return new AttemptDeadline<>(handler, ticker, startedNanos, headers, whole, Thread.currentThread()).start();
    }

    /** As {@link #blocking}, for an asynchronous attempt; give it the exchange with {@link #cancels}. */
    static <T> AttemptDeadline<T> async(BodyHandler<T> handler, Ticker ticker, long startedNanos, Duration headers,
                                        Duration whole) {
        return new AttemptDeadline<>(handler, ticker, startedNanos, headers, whole, null).start();
    }

    private AttemptDeadline<T> start() {
        Duration first = whole != null && whole.compareTo(headers) < 0 ? whole : headers;
        watchUntil(first);
        return this;
    }

    /** Watches until {@code limit} after the start, unless the attempt ended (then as before). */
    private void watchUntil(Duration limit) {
        long left = startedNanos + limit.toNanos() - ticker.read();
        DeadlineWatchdog.INSTANCE.watch(this, System.nanoTime() + Math.max(left, 0));
        if (state == ENDED) {
            DeadlineWatchdog.INSTANCE.unwatch(this);   // it ended while we looked away
        }
    }

    /**
     * The headers arrived: the JDK asks for the body's subscriber. Nothing is watched anew here: the header
     * deadline, when it comes, finds that the headers arrived and watches on until {@link #whole}, if there is one.
     * One lock the less for every call, as the headers nearly always arrive in time.
     */
    @Override
    public BodySubscriber<T> apply(ResponseInfo info) {
        headersArrived = true;
        return handler.apply(info);
    }

    /** The asynchronous attempt's exchange, which the deadline cancels. */
    void cancels(Future<?> sent) {
        exchange = sent;
        if (state == EXPIRED) {
            cancelElsewhere(sent);   // it expired before it knew what to cancel
        }
    }

    /** At a deadline, on the watchdog's thread: stops the exchange, unless the attempt has ended or may go on. */
    @Override
    void expire() {
        if (headersArrived) {
            if (whole == null) {
                return;   // the body is not bounded; end() finds nothing to unwatch
            }
            if (startedNanos + whole.toNanos() - ticker.read() > 0) {
                watchUntil(whole);   // the header deadline passed after the headers came; on to the whole one
                return;
            }
        }
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
     * Ends the watch, once: the attempt returned or failed. On a blocking attempt's thread, this takes back the
     * interrupt the deadline made.
     *
     * @return whether a deadline cancelled the exchange
     */
    boolean end() {
        if (STATE.compareAndSet(this, RUNNING, ENDED)) {
            DeadlineWatchdog.INSTANCE.unwatch(this);
            return false;
        }
        while (state == INTERRUPTING) {
            Thread.onSpinWait();   // for as long as one Thread.interrupt takes
        }
        if (caller != null) {
            Thread.interrupted();   // the deadline's interrupt, not the caller's
        }
        return true;
    }

    /** What the attempt failed with when a deadline cancelled it; its message says which deadline. */
    HttpTimeoutException timeout() {
        if (whole != null && (headersArrived || whole.compareTo(headers) <= 0)) {
            return new HttpTimeoutException("the attempt outlasted the " + seconds(whole)
                    + " s the call had left (response body included)");
        }
        return new HttpTimeoutException("request timed out: no response headers within " + seconds(headers) + " s");
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
