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
        SerialExecutor serial = new SerialExecutor(workers);
        serial.execute(() -> body.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                jdk.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                        serial.execute(() -> subscription.request(n));
                    }

                    @Override
                    public void cancel() {
                        serial.execute(subscription::cancel);
                    }
                });
            }

            @Override
            public void onNext(ByteBuffer item) {
                jdk.onNext(item);
            }

            @Override
            public void onError(Throwable error) {
                jdk.onError(error);
            }

            @Override
            public void onComplete() {
                jdk.onComplete();
            }
        }));
    }
}
