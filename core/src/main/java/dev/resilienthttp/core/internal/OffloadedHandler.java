package dev.resilienthttp.core.internal;

import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * The caller's body handler, run on the client's worker threads: its {@code apply} and every signal to the
 * subscriber it returns, one at a time and in order ({@link SerialExecutor}), never on the JDK's selector thread.
 * The JDK sees a subscriber of ours whose body completes when the caller's does. Demand is the caller's subscriber's
 * own (its {@code request(n)} goes to the JDK's subscription), so nothing piles up in between.
 *
 * <p>A handler or subscriber that throws ends the body with that exception and cancels the JDK's subscription, as
 * the JDK does for one that throws on its own threads.
 */
public final class OffloadedHandler<T> implements BodyHandler<T> {
    private final BodyHandler<T> handler;
    private final Executor workers;

    /** {@code handler}, run on {@code workers}. */
    public OffloadedHandler(BodyHandler<T> handler, Executor workers) {
        this.handler = handler;
        this.workers = workers;
    }

    @Override
    public BodySubscriber<T> apply(ResponseInfo info) {
        return new Subscriber<>(handler, info, workers);
    }

    private static final class Subscriber<T> implements BodySubscriber<T> {
        private final SerialExecutor serial;
        private final CompletableFuture<T> body = new CompletableFuture<>();
        /** The caller's subscriber; only touched by the serial tasks, so needs no lock. */
        private BodySubscriber<T> target;
        private Flow.Subscription subscription;
        private boolean failed;

        Subscriber(BodyHandler<T> handler, ResponseInfo info, Executor workers) {
            this.serial = new SerialExecutor(workers);
            serial.execute(() -> {
                BodySubscriber<T> made;
                try {
                    made = handler.apply(info);
                } catch (Throwable e) {
                    fail(e);
                    return;
                }
                target = made;
                // Not in this serial task: a body whose getBody() blocks until the signals behind it arrive
                // (mapping(ofInputStream(), reader)) would wait for ever. The JDK asks for it apart too.
                workers.execute(() -> link(made));
            });
        }

        private void link(BodySubscriber<T> made) {
            try {
                made.getBody().whenComplete((value, error) -> {
                    if (error == null) {
                        body.complete(value);
                    } else {
                        body.completeExceptionally(error);
                    }
                });
            } catch (Throwable e) {
                serial.execute(() -> fail(e));
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            serial.execute(() -> {
                this.subscription = subscription;
                if (failed) {
                    subscription.cancel();
                    return;
                }
                signal(() -> target.onSubscribe(subscription));
            });
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            serial.execute(() -> signal(() -> target.onNext(item)));
        }

        @Override
        public void onError(Throwable error) {
            serial.execute(() -> signal(() -> target.onError(error)));
        }

        @Override
        public void onComplete() {
            serial.execute(() -> signal(target::onComplete));
        }

        @Override
        public CompletionStage<T> getBody() {
            return body;
        }

        private void signal(Runnable signal) {
            if (failed) {
                return;
            }
            try {
                signal.run();
            } catch (Throwable e) {
                fail(e);
            }
        }

        private void fail(Throwable e) {
            failed = true;
            body.completeExceptionally(e);
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }
}
