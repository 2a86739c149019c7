package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.Ticker;

import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Bounds the reading of a response body by the deadline of its attempt. The JDK's request timeout stops at the
 * response headers; a body that stalls after them would hold the attempt, and the caller, for ever. At the
 * deadline (kept by the {@link DeadlineWatchdog}) the body fails with an {@link HttpTimeoutException}, which the
 * JDK hands on as the attempt's failure, and its subscription is cancelled (the JDK then closes the connection).
 *
 * <p>The timer is armed when the headers arrive, and only if the body is not complete by then; a body handler
 * that returns a stream at once ({@code ofInputStream}) is bounded up to that point, like the JDK's timeout.
 */
final class BodyDeadline<T> implements BodyHandler<T> {
    private final BodyHandler<T> handler;
    private final Ticker ticker;
    private final long deadlineNanos;
    private final Duration bound;

    /**
     * @param startedNanos when, on {@code ticker}, the attempt started
     * @param bound        the longest the attempt may take, body included
     */
    BodyDeadline(BodyHandler<T> handler, Ticker ticker, long startedNanos, Duration bound) {
        this.handler = handler;
        this.ticker = ticker;
        this.deadlineNanos = startedNanos + bound.toNanos();
        this.bound = bound;
    }

    /** The body of the latest response; the JDK makes a new one for each response it reads in the attempt. */
    private volatile Bounded latest;

    @Override
    public BodySubscriber<T> apply(ResponseInfo info) {
        Bounded earlier = latest;
        if (earlier != null) {
            DeadlineWatchdog.INSTANCE.unwatch(earlier);   // the JDK gave that response up
        }
        Bounded body = new Bounded(handler.apply(info));
        latest = body;
        return body;
    }

    /**
     * Ends the watch: the attempt returned or failed. Needed besides the subscriber's own end because a body
     * handler may complete its result after {@code onComplete} (or the JDK may drop a subscriber without a call).
     */
    void attemptEnded() {
        Bounded body = latest;
        if (body != null) {
            DeadlineWatchdog.INSTANCE.unwatch(body);
        }
    }

    private final class Bounded extends DeadlineWatchdog.Entry implements BodySubscriber<T> {
        private final BodySubscriber<T> body;
        private volatile Flow.Subscription subscription;
        private volatile CompletableFuture<T> result;

        Bounded(BodySubscriber<T> body) {
            this.body = body;
        }

        @Override
        public CompletionStage<T> getBody() {
            CompletableFuture<T> own = body.getBody().toCompletableFuture();
            if (own.isDone()) {
                return own;
            }
            result = own;
            long left = deadlineNanos - ticker.read();
            DeadlineWatchdog.INSTANCE.watch(this, System.nanoTime() + Math.max(left, 0));
            if (own.isDone()) {
                DeadlineWatchdog.INSTANCE.unwatch(this);   // it ended while we looked away
            }
            return own;
        }

        /** At the deadline: the body fails (the JDK hands that on as the attempt's failure) and its reading stops. */
        @Override
        void expire() {
            CompletableFuture<T> unfinished = result;
            if (unfinished.isDone()) {
                return;
            }
            unfinished.completeExceptionally(new HttpTimeoutException("the attempt outlasted the "
                    + bound.toMillis() / 1000.0 + " s the call had left (response body included)"));
            Flow.Subscription held = subscription;
            if (held != null) {
                held.cancel();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            body.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            body.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
            body.onError(throwable);
            DeadlineWatchdog.INSTANCE.unwatch(this);   // after: getBody may be between its watch and its look
        }

        @Override
        public void onComplete() {
            body.onComplete();
            DeadlineWatchdog.INSTANCE.unwatch(this);   // after: getBody may be between its watch and its look
        }
    }
}
