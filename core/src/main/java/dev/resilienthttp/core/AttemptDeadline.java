package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.Steps;
import dev.resilienthttp.core.spi.CallPolicy;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The deadlines of one attempt, kept by the {@link DeadlineWatchdog} instead of the JDK: the request timeout, for
 * the response headers; the read-idle timeout, the longest the body may go without a byte; and the policy's bound
 * on the whole attempt, body included, when it sets one. At a deadline the exchange is cancelled, and the JDK
 * closes the connection; a failure's body is cut off instead (below). All three are kept on {@link System#nanoTime()}, as the watchdog sleeps and bytes arrive
 * in real time: a test's frozen clock cannot make an attempt endless.
 *
 * <p>Why not the JDK's own request timeout: for each request that has one, the JDK registers a timer and wakes its
 * selector thread ({@code HttpClientImpl.registerTimer}), a context switch per call that the load pays for when
 * the CPUs are busy. And the JDK's timeout stops at the headers: a body that stalls after them would hold the
 * attempt, and the caller, for ever. The watchdog wakes no one for a deadline later than the one it sleeps until.
 *
 * <p>This class is the body handler, to learn when the headers arrive and to judge the status then (a failure's
 * body goes to an {@link ErrorBodyPrefix}, not to the caller's handler); and the body subscriber around the
 * caller's, to see bytes flow. That wrapper costs a thread switch per call (the JDK completes its own subscribers
 * on the thread that read the body, but hands any other to its executor), the price of bounding a stalled body
 * without a policy. It costs no allocation per {@code onNext}, only a timestamp, and the watchdog looks at it
 * lazily: at the idle deadline it re-watches until the last byte's time plus the idle timeout, so a steady body
 * costs one wake-up per idle period. Before the headers it looks once per idle period too, so that a body that
 * stalls at once is caught within the idle timeout even when the request timeout is longer.
 *
 * <p>A failure's body is not cancelled at a deadline but cut off ({@link ErrorBodyPrefix#cut}): its status was
 * judged when the headers came, and the attempt ends as that status, with what came of the body, as when the body
 * breaks off. Should the response still not complete, the attempt is cancelled an idle period later.
 *
 * <p>A blocking attempt is cancelled by interrupting its thread, which the JDK's {@code send} answers by
 * cancelling the exchange (since JDK 16); an asynchronous one by cancelling its future. {@link #end} tells the
 * attempt whether that happened, and takes the interrupt back, so that nothing of it outlives the attempt.
 *
 * <p>A body handler that returns a stream at once ({@code ofInputStream}, {@code ofLines}, {@code ofPublisher}) is
 * bounded until the stream is handed over, that is up to the headers: the attempt then ends, and reading the
 * stream is the caller's, unbounded by this class; a caller reads it with its own timeout, or closes it from
 * another thread, which cancels the exchange.
 *
 * <p>The backstop, when no watchdog thread can be started ({@link DeadlineWatchdog#watch} says so): the attempt
 * bounds itself, coarser but independent of the watchdog. A blocking one waits on {@code sendAsync(…).get} with a
 * timeout (a thread switch more, in this rare state only); an asynchronous one has its exchange cancelled by the
 * JDK's shared delayer thread. The bound is the whole one if the policy set one, else the request timeout plus
 * the read-idle timeout: body included, so a long body that flows is cut at it too. A thread that dies while
 * watching is replaced by the watchdog itself, so attempts already watched need no backstop. Why not always pass
 * the JDK a generous request timeout as a backstop: it costs the selector wake-up above on every call, and stops at
 * the headers anyway.
 */
final class AttemptDeadline<T> extends DeadlineWatchdog.Entry implements BodyHandler<T>, BodySubscriber<T> {
    private static final int RUNNING = 0;
    /** The watchdog is interrupting the blocked caller; an expired state follows at once. */
    private static final int INTERRUPTING = 1;
    private static final int ENDED = 2;
    /** From here on the attempt expired; {@code state - EXPIRED} says which deadline passed. */
    private static final int EXPIRED = 8;
    private static final int HEADERS = 0;
    private static final int WHOLE = 1;
    private static final int IDLE = 2;
    private static final int BACKSTOP = 3;
    /** No bound on the whole attempt. */
    private static final long NONE = -1;
    /**
     * The least a re-watch waits: whatever time says, the watchdog never wakes for one attempt more than a thousand
     * times a second.
     */
    private static final long MIN_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Longer than any real deadline, short enough that sums of two never overflow: about 73 years. */
    private static final long MAX_NANOS = Long.MAX_VALUE / 4;
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
    private final CallPolicy policy;
    /** When the attempt started, on {@link System#nanoTime()}. */
    private final long startedNanos;
    private final long headersNanos;
    private final long idleNanos;
    /** The bound on the whole attempt, or {@link #NONE}. */
    private final long wholeNanos;
    /** The thread blocked in {@code send}, or {@code null} for an asynchronous attempt. */
    private final Thread caller;
    /** Where an asynchronous attempt's cancel runs; {@code null} for a blocking one. */
    private final Steps steps;
    /** Told when the response headers arrive, whatever their status, with their version: {@code Generations#whenConnected}. */
    private final Consumer<HttpClient.Version> connected;
    /** {@link #RUNNING} and on; read and changed through {@link #STATE}. */
    private volatile int state;
    /** Whether the response headers arrived; written after {@link #lastByteNanos}, read before it. */
    private volatile boolean headersArrived;
    /** When the headers or the body's last bytes arrived, on {@link System#nanoTime()}. */
    private volatile long lastByteNanos;
    /** Whether a watchdog thread watches; if not, the backstop bounds the attempt. */
    private boolean watched;
    /** The asynchronous exchange, once {@code sendAsync} returned it. */
    private volatile Future<?> exchange;
    /** The policy's judgement of the status, made when the headers came. */
    private Optional<FailureKind> judgement;
    /** The subscriber the body goes to: the caller's, or an {@link ErrorBodyPrefix} for a failure. */
    private BodySubscriber<T> body;
    /**
     * {@link #body} when it is an {@link ErrorBodyPrefix}, for the watchdog's thread: written after {@link #judgement}
     * and {@link #body}, so that the watchdog sees them whole.
     */
    private volatile ErrorBodyPrefix<T> errorBody;
    /** Whether a deadline cut the failure's body off, or found it ended; on the watchdog's thread only. */
    private boolean errorBodyEnded;

    private AttemptDeadline(BodyHandler<T> handler, CallPolicy policy, Duration headers, Duration idle,
                            Duration whole, Consumer<HttpClient.Version> connected, Thread caller, Steps steps) {
        this.handler = handler;
        this.policy = policy;
        this.startedNanos = System.nanoTime();
        this.headersNanos = nanos(headers);
        this.idleNanos = nanos(idle);
        this.wholeNanos = whole == null ? NONE : nanos(whole);
        this.connected = connected;
        this.caller = caller;
        this.steps = steps;
    }

    /**
     * Starts to watch an attempt that blocks the calling thread in {@code send}; send it with {@link #send}.
     *
     * @param headers the longest the response headers may take (the request timeout)
     * @param idle    the longest the response body may go without a byte (the read-idle timeout)
     * @param whole   the longest the whole attempt may take, body included, or {@code null} for no bound
     * @param connected told when the response headers arrive, whatever their status, with their version
     */
    static <T> AttemptDeadline<T> blocking(BodyHandler<T> handler, CallPolicy policy, Duration headers,
                                           Duration idle, Duration whole, Consumer<HttpClient.Version> connected) {
        return new AttemptDeadline<>(handler, policy, headers, idle, whole, connected, Thread.currentThread(), null)
                .start();
    }

    /**
     * As {@link #blocking}, for an asynchronous attempt; send it with {@link #sendAsync}.
     *
     * @param steps where a deadline's cancel runs: not on the watchdog's thread, which keeps every other deadline
     */
    static <T> AttemptDeadline<T> async(BodyHandler<T> handler, CallPolicy policy, Duration headers, Duration idle,
                                        Duration whole, Consumer<HttpClient.Version> connected, Steps steps) {
        return new AttemptDeadline<>(handler, policy, headers, idle, whole, connected, null, steps).start();
    }

    private AttemptDeadline<T> start() {
        watched = DeadlineWatchdog.INSTANCE.watch(this, nextLook(startedNanos));
        return this;
    }

    /** Sends the attempt and blocks until it ends: the JDK's {@code send}, or the backstop's bounded wait. */
    HttpResponse<T> send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        if (watched) {
            return client.send(request, this);
        }
        CompletableFuture<HttpResponse<T>> sent = client.sendAsync(request, this);
        try {
            return sent.get(backstopNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            STATE.compareAndSet(this, RUNNING, EXPIRED + BACKSTOP);
            sent.cancel(true);
            throw timeout();
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause);
        }
    }

    /** Sends the attempt without blocking; under the backstop, the JDK's delayer thread cancels it if late. */
    CompletableFuture<HttpResponse<T>> sendAsync(HttpClient client, HttpRequest request) {
        CompletableFuture<HttpResponse<T>> sent = client.sendAsync(request, this);
        exchange = sent;
        if (state >= EXPIRED) {
            cancelElsewhere(sent);   // it expired before it knew what to cancel
        } else if (!watched) {
            CompletableFuture.delayedExecutor(backstopNanos(), TimeUnit.NANOSECONDS).execute(() -> {
                if (STATE.compareAndSet(this, RUNNING, EXPIRED + BACKSTOP)) {
                    sent.cancel(true);
                }
            });
        }
        return sent;
    }

    private long backstopNanos() {
        return wholeNanos != NONE ? wholeNanos : headersNanos + idleNanos;
    }

    /**
     * The headers arrived: the request holds its connection ({@link #connected}); judges the status now, so that a
     * failure's body is never read whole, and takes the subscriber the body goes to. Nothing is watched anew here
     * (one lock the less for every call): the watchdog already looks at least once per idle period.
     */
    @Override
    public BodySubscriber<T> apply(ResponseInfo info) {
        lastByteNanos = System.nanoTime();
        headersArrived = true;
        connected.accept(info.version());
        judgement = policy.classify(info);
        if (judgement.isEmpty()) {
            body = handler.apply(info);
        } else {
            ErrorBodyPrefix<T> prefix = new ErrorBodyPrefix<>(info);
            body = prefix;
            errorBody = prefix;
        }
        return this;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        body.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        lastByteNanos = System.nanoTime();
        body.onNext(items);
    }

    @Override
    public void onError(Throwable throwable) {
        body.onError(throwable);
    }

    @Override
    public void onComplete() {
        body.onComplete();
    }

    @Override
    public CompletionStage<T> getBody() {
        return body.getBody();
    }

    /** The policy's judgement of the response, made when its headers arrived; read once the response is here. */
    Optional<FailureKind> judgement() {
        return judgement;
    }

    /** The start of a failed response's body, as text; empty for a success. Read once the response is here. */
    String errorBodyPrefix() {
        return body instanceof ErrorBodyPrefix ? ((ErrorBodyPrefix<T>) body).text() : "";
    }

    /**
     * Whether the client cut the response's body off: a failure's body longer than {@link ErrorBodyPrefix#MAX_BYTES},
     * or one that broke off. The JDK closes such a body's connection and pools one read to its end. Read once the
     * response is here.
     */
    boolean bodyCut() {
        return body instanceof ErrorBodyPrefix && !((ErrorBodyPrefix<T>) body).readWhole();
    }

    /**
     * At a deadline, on the watchdog's thread: stops the exchange, unless the attempt has ended or may go on; a
     * failure's body is cut off instead, once.
     */
    @Override
    void expire() {
        long now = System.nanoTime();
        int passed = passed(now);
        if (passed < 0) {
            watchAgain(nextLook(now));
            return;
        }
        ErrorBodyPrefix<T> prefix = errorBody;
        if (prefix != null && !errorBodyEnded && state == RUNNING) {
            // Asked again under the body's lock: bytes that arrived since move the deadline.
            if (prefix.cut(() -> passed(System.nanoTime()) >= 0)) {
                errorBodyEnded = true;
                watchAgain(now + idleNanos);   // the response completes now; if not, cancel it then
            } else {
                watchAgain(nextLook(System.nanoTime()));
            }
            return;
        }
        if (caller != null) {
            if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                caller.interrupt();
                state = EXPIRED + passed;
            }
        } else if (STATE.compareAndSet(this, RUNNING, EXPIRED + passed)) {
            Future<?> sent = exchange;
            if (sent != null) {
                cancelElsewhere(sent);
            }
        }
    }

    /** Watches the attempt until {@code nanos} again, unless it ended. */
    private void watchAgain(long nanos) {
        if (state == RUNNING) {
            DeadlineWatchdog.INSTANCE.watch(this, nanos);
            if (state == ENDED) {
                DeadlineWatchdog.INSTANCE.unwatch(this);   // it ended while we looked away
            }
        }
    }

    /** Which deadline has passed at {@code now}, or -1 for none yet. */
    private int passed(long now) {
        if (wholeNanos != NONE && now - (startedNanos + wholeNanos) >= 0) {
            return WHOLE;
        }
        if (!headersArrived) {
            return now - (startedNanos + headersNanos) >= 0 ? HEADERS : -1;
        }
        return now - (lastByteNanos + idleNanos) >= 0 ? IDLE : -1;
    }

    /**
     * When to look next: at the earliest deadline that may pass, and before the headers at least once per idle
     * period; never sooner than {@link #MIN_STEP_NANOS} from {@code now}.
     */
    private long nextLook(long now) {
        long next = headersArrived ? lastByteNanos + idleNanos
                : earliest(startedNanos + headersNanos, now + idleNanos);
        if (wholeNanos != NONE) {
            next = earliest(next, startedNanos + wholeNanos);
        }
        return next - now < MIN_STEP_NANOS ? now + MIN_STEP_NANOS : next;
    }

    private static long earliest(long a, long b) {
        return a - b < 0 ? a : b;
    }

    /**
     * Cancels an asynchronous exchange off the watchdog's thread ({@link Steps#cancel}): the stages that follow (the
     * policy's, the listener's, the caller's) may block, and must not hold up the watchdog and every other deadline.
     */
    private void cancelElsewhere(Future<?> sent) {
        steps.cancel(sent);
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
        DeadlineWatchdog.INSTANCE.unwatch(this);   // a backstop expiry leaves it listed
        if (caller != null && state != EXPIRED + BACKSTOP) {
            Thread.interrupted();   // the deadline's interrupt, not the caller's
        }
        return true;
    }

    /**
     * Whether the response headers had arrived: a deadline that cancels the attempt after them cancels a request the
     * server processed. Read once the attempt ended.
     */
    boolean answered() {
        return headersArrived;
    }

    /** What the attempt failed with when a deadline cancelled it; its message says which deadline. */
    HttpTimeoutException timeout() {
        switch (state - EXPIRED) {
            case WHOLE:
                return new HttpTimeoutException("the attempt outlasted the " + seconds(wholeNanos)
                        + " s the call had left (response body included)");
            case IDLE:
                return new HttpTimeoutException("read timed out: no response body byte for " + seconds(idleNanos)
                        + " s (the read-idle timeout)");
            case BACKSTOP:
                return new HttpTimeoutException("the attempt outlasted its backstop of " + seconds(backstopNanos())
                        + " s (no deadline watchdog thread could be started)");
            default:
                return new HttpTimeoutException("request timed out: no response headers within "
                        + seconds(headersNanos) + " s");
        }
    }

    /** A duration in nanoseconds, at most {@link #MAX_NANOS}: a request's own timeout may be of any length. */
    private static long nanos(Duration duration) {
        return duration.compareTo(Duration.ofNanos(MAX_NANOS)) > 0 ? MAX_NANOS : duration.toNanos();
    }

    private static double seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) / 1000.0;
    }
}
