package dev.resilienthttp.core;

import java.io.InputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What careless user code does: waits, on whatever thread called it, until the test releases it. It blocks the first
 * time it is called only, for at most {@code cap} (so that a client it stalls is stalled no longer), and says on
 * which thread it blocked. Besides {@link #block}, it comes as a body subscriber and as a request body stream.
 */
final class Blocker {
    private final Duration cap;
    private final AtomicBoolean used = new AtomicBoolean();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String thread = "(not blocked yet)";
    private volatile boolean blocking;
    private volatile boolean outlivedCap;

    Blocker(Duration cap) {
        this.cap = cap;
    }

    /** Called from the user code: blocks until {@link #release}, or {@code cap}, the first time; returns at once later. */
    void block() {
        if (!used.compareAndSet(false, true)) {
            return;
        }
        thread = Thread.currentThread().getName();
        blocking = true;
        entered.countDown();
        try {
            outlivedCap = !released.await(cap.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            blocking = false;
        }
    }

    /**
     * Waits until the user code is blocking.
     *
     * @throws AssertionError if it did not start blocking within {@code bound}
     */
    void awaitBlocking(Duration bound) throws InterruptedException {
        if (!entered.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("the user code did not start blocking within " + bound);
        }
    }

    /** Whether the user code is blocking now: it started and was neither released nor gave up at its cap. */
    boolean blocking() {
        return blocking;
    }

    /** Whether it stopped blocking because its cap passed, not because the test released it. */
    boolean outlivedCap() {
        return outlivedCap;
    }

    /** The name of the thread the user code blocked. */
    String thread() {
        return thread;
    }

    /** Lets the user code go on; idempotent. */
    void release() {
        released.countDown();
    }

    /** {@code body}, except that its first {@code onNext} blocks. */
    <T> BodySubscriber<T> inOnNext(BodySubscriber<T> body) {
        return new BodySubscriber<>() {
            @Override
            public CompletionStage<T> getBody() {
                return body.getBody();
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                body.onSubscribe(subscription);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                block();
                body.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                body.onError(throwable);
            }

            @Override
            public void onComplete() {
                body.onComplete();
            }
        };
    }

    /** A request body whose first read blocks, then gives {@code content}. */
    InputStream inRead(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            private int next;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                block();
                if (next == bytes.length) {
                    return -1;
                }
                int n = Math.min(length, bytes.length - next);
                System.arraycopy(bytes, next, buffer, offset, n);
                next += n;
                return n;
            }
        };
    }
}
