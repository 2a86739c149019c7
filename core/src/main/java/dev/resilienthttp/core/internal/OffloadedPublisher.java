package dev.resilienthttp.core.internal;

import java.io.IOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The caller's request body, pulled on the client's worker threads: {@code subscribe} and every
 * {@code request(n)} and {@code cancel} run there, one at a time and in order ({@link SerialExecutor}). The JDK asks
 * for the next part of a body on its selector thread, where a blocking body such as
 * {@code BodyPublishers.ofInputStream} would read its stream and hold up every connection of the client.
 * The parts go to the JDK as the caller's publisher gives them.
 *
 * <p>One instance per call, so it sees every subscription the JDK makes to the body: each attempt's, and a redirect's
 * or an authenticator's re-send. A re-send must give the bytes the first send gave ({@link BodyReplayCheck}); one that
 * does not fails its exchange with a {@link BodyNotReplayableException} before the request is complete, so that the
 * server never takes a truncated or empty body for the request.
 */
public final class OffloadedPublisher implements BodyPublisher {
    private final BodyPublisher body;
    private final Executor workers;
    private final BodyReplayCheck replay = new BodyReplayCheck();

    /** {@code body}, pulled on {@code workers}. */
    public OffloadedPublisher(BodyPublisher body, Executor workers) {
        this.body = body;
        this.workers = workers;
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> jdk) {
        new Relay(jdk, new SerialExecutor(workers), replay.start()).start(body);
    }

    /**
     * Between the caller's body and the JDK's subscriber. What the caller's code throws (a supplier, a
     * {@code request(n)}) fails the exchange at once with that exception, as the JDK does when it pulls the body itself;
     * on a re-send, as a {@link BodyNotReplayableException}, so that the call's report keeps the attempts before it.
     */
    private static final class Relay implements Flow.Subscriber<ByteBuffer> {
        private final Flow.Subscriber<? super ByteBuffer> jdk;
        private final SerialExecutor serial;
        private final BodyReplayCheck.Pass pass;
        /** Set by the caller's publisher, which may signal from threads of its own. */
        private volatile boolean subscribed;
        /** The JDK's one terminal signal: won once, by the caller's publisher or by the relay's refusal. */
        private final AtomicBoolean ended = new AtomicBoolean();
        /** The caller's subscription, cancelled when a re-send's bytes differ. */
        private volatile Flow.Subscription upstream;

        Relay(Flow.Subscriber<? super ByteBuffer> jdk, SerialExecutor serial, BodyReplayCheck.Pass pass) {
            this.jdk = jdk;
            this.serial = serial;
            this.pass = pass;
        }

        void start(BodyPublisher body) {
            serial.execute(() -> guarded(() -> body.subscribe(this)));
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscribed = true;
            upstream = subscription;
            jdk.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    serial.execute(() -> guarded(() -> subscription.request(n)));
                }

                @Override
                public void cancel() {
                    serial.execute(() -> guarded(subscription::cancel));
                }
            });
        }

        @Override
        public void onNext(ByteBuffer item) {
            if (ended.get()) {
                return;   // refused: the caller's publisher may give more before it hears the cancel
            }
            if (!item.hasRemaining()) {
                // JDK 17 writes an empty part of a chunked body as its last chunk: the request would end there, and
                // the rest would reach the server as garbage. It is dropped, and asked for again.
                Flow.Subscription subscription = upstream;
                serial.execute(() -> guarded(() -> subscription.request(1)));
                return;
            }
            BodyNotReplayableException differs = pass.next(item);
            if (differs != null) {
                refuse(differs);
                return;
            }
            jdk.onNext(item);
        }

        @Override
        public void onError(Throwable error) {
            if (ended.compareAndSet(false, true)) {
                jdk.onError(onResend(error));
            }
        }

        @Override
        public void onComplete() {
            if (ended.get()) {
                return;
            }
            BodyNotReplayableException differs = pass.complete();
            if (differs != null) {
                refuse(differs);
            } else if (ended.compareAndSet(false, true)) {
                jdk.onComplete();
            }
        }

        /** Fails the exchange before the body is complete, and stops the caller's publisher. */
        private void refuse(BodyNotReplayableException differs) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            Flow.Subscription subscription = upstream;
            if (subscription != null) {
                serial.execute(() -> guarded(subscription::cancel));
            }
            jdk.onError(differs);
        }

        /**
         * What the JDK is to fail the exchange with when the caller's body failed: the failure itself, or on a
         * re-send, a failure that is not an {@code IOException} (a publisher that allows one subscription throws
         * {@code IllegalStateException}) as one, which the call reports after the attempts before it.
         */
        private Throwable onResend(Throwable failure) {
            if (!pass.resend() || failure instanceof IOException || failure instanceof Error) {
                return failure;
            }
            if (failure instanceof IllegalStateException) {   // how a publisher refuses a second subscriber
                return new BodyNotReplayableException("the request body failed on re-send (" + failure + "): a "
                        + "publisher that cannot be subscribed to again is not replayable; give one that can, e.g. "
                        + "ofInputStream with a supplier that opens the body anew", failure);
            }
            return new BodyNotReplayableException("the request body failed on re-send: " + failure, failure);
        }

        private void guarded(Runnable callersCode) {
            try {
                callersCode.run();
            } catch (Throwable e) {
                if (!ended.compareAndSet(false, true)) {
                    return;
                }
                if (!subscribed) {
                    subscribed = true;
                    jdk.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                        }

                        @Override
                        public void cancel() {
                        }
                    });
                }
                jdk.onError(onResend(e));
            }
        }
    }
}
