package dev.resilienthttp.core.internal;

import java.io.IOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

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
        private volatile boolean ended;
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
            if (ended) {
                return;   // refused: the caller's publisher may give more before it hears the cancel
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
            if (ended) {
                return;
            }
            ended = true;
            jdk.onError(onResend(error));
        }

        @Override
        public void onComplete() {
            if (ended) {
                return;
            }
            BodyNotReplayableException differs = pass.complete();
            if (differs != null) {
                refuse(differs);
                return;
            }
            ended = true;
            jdk.onComplete();
        }

        /** Fails the exchange before the body is complete, and stops the caller's publisher. */
        private void refuse(BodyNotReplayableException differs) {
            ended = true;
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
            return new BodyNotReplayableException("the request body failed on re-send (" + failure + "): a "
                    + "publisher that cannot be subscribed to again is not replayable; give one that can, e.g. "
                    + "ofInputStream with a supplier that opens the body anew", failure);
        }

        private void guarded(Runnable callersCode) {
            try {
                callersCode.run();
            } catch (Throwable e) {
                if (ended) {
                    return;
                }
                ended = true;
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
