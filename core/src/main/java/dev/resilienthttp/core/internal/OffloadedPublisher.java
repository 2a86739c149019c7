package dev.resilienthttp.core.internal;

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
 */
public final class OffloadedPublisher implements BodyPublisher {
    private final BodyPublisher body;
    private final Executor workers;

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
        new Relay(jdk, new SerialExecutor(workers)).start(body);
    }

    /**
     * Between the caller's body and the JDK's subscriber. What the caller's code throws (a supplier, a
     * {@code request(n)}) fails the exchange at once with that exception, as the JDK does when it pulls the body itself.
     */
    private static final class Relay implements Flow.Subscriber<ByteBuffer> {
        private final Flow.Subscriber<? super ByteBuffer> jdk;
        private final SerialExecutor serial;
        /** Set by the caller's publisher, which may signal from threads of its own. */
        private volatile boolean subscribed;
        private volatile boolean ended;

        Relay(Flow.Subscriber<? super ByteBuffer> jdk, SerialExecutor serial) {
            this.jdk = jdk;
            this.serial = serial;
        }

        void start(BodyPublisher body) {
            serial.execute(() -> guarded(() -> body.subscribe(this)));
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscribed = true;
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
            jdk.onNext(item);
        }

        @Override
        public void onError(Throwable error) {
            ended = true;
            jdk.onError(error);
        }

        @Override
        public void onComplete() {
            ended = true;
            jdk.onComplete();
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
                jdk.onError(e);
            }
        }
    }
}
