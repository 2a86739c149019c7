package dev.resilienthttp.core;

import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.BooleanSupplier;

/**
 * The body of a response the policy judged a failure when its headers came: instead of the caller's handler, which
 * might read a 100 MB error page whole before a retry, this keeps the first {@link #MAX_BYTES} and cancels the rest
 * (the JDK then closes the connection). A shorter body is read to its end, so its connection can be reused. The
 * body it completes with is {@code null}; its start is {@link #text()}.
 *
 * <p>An error body that breaks off completes the same way, with what came: the status already says what failed,
 * and a reset in its body says nothing more. So does one that stalls: at a deadline the attempt {@link #cut}s it
 * off, from the watchdog's thread, and the attempt ends as its status instead of as a timeout.
 *
 * @param <T> the body type of the caller's handler, which this never produces
 */
final class ErrorBodyPrefix<T> implements BodySubscriber<T> {
    /**
     * Enough for any error message a person or a log would read (OkHttp drains at most 64 KiB of a body it
     * abandons), and small enough that a fleet retrying a 100 MB error page neither reads nor keeps it.
     */
    static final int MAX_BYTES = 64 * 1024;

    private final Charset charset;
    private final CompletableFuture<T> body = new CompletableFuture<>();
    /*
     * The fields below are guarded by this object's lock: the JDK's threads deliver the body one signal at a time,
     * but a cut comes from the watchdog's thread, and the attempt reads the text once the body completed.
     */
    private Flow.Subscription subscription;
    /** Grows with what arrives, up to {@link #MAX_BYTES}: most error bodies are a few hundred bytes. */
    private byte[] bytes = new byte[0];
    private int length;
    /** Whether the body completed (ended, broke off, or was cut): what arrives after it is dropped. */
    private boolean done;
    /** Set once the body arrived to its end: the JDK then keeps the connection for the next request. */
    private boolean readWhole;

    ErrorBodyPrefix(ResponseInfo info) {
        this.charset = charsetOf(info.headers().firstValue("Content-Type").orElse(""));
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (done) {
            subscription.cancel();   // cut before it was subscribed
        } else {
            subscription.request(1);
        }
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> items) {
        if (done) {
            return;   // cut: the text is what came before
        }
        for (ByteBuffer item : items) {
            int take = Math.min(item.remaining(), MAX_BYTES - length);
            if (length + take > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(MAX_BYTES, Math.max(length + take, 2 * bytes.length)));
            }
            item.get(bytes, length, take);
            length += take;
        }
        if (length == MAX_BYTES) {
            done = true;
            subscription.cancel();   // the rest is not worth reading: the JDK closes the connection instead
            body.complete(null);
        } else {
            subscription.request(1);
        }
    }

    @Override
    public synchronized void onError(Throwable throwable) {
        done = true;
        body.complete(null);
    }

    @Override
    public synchronized void onComplete() {
        if (!done) {
            done = true;
            readWhole = true;
            body.complete(null);
        }
    }

    /**
     * Cuts the body off where it is, as at {@link #MAX_BYTES}, unless it has completed or {@code due}, asked under
     * the lock {@link #onNext} holds, says no: bytes that arrive at the cut either came before it, and are kept (the
     * deadline moved with them), or after it, and are dropped. The body completes before the subscription is
     * cancelled, so the JDK completes the response with it rather than failing the exchange; the cancel then closes
     * an HTTP/1.1 connection (resets an HTTP/2 stream), as the cut at {@link #MAX_BYTES} does. Any thread may call it.
     *
     * @return whether the body has completed, by this cut or before it
     */
    synchronized boolean cut(BooleanSupplier due) {
        if (done) {
            return true;
        }
        if (!due.getAsBoolean()) {
            return false;
        }
        done = true;
        body.complete(null);
        if (subscription != null) {
            subscription.cancel();
        }
        return true;
    }

    @Override
    public CompletionStage<T> getBody() {
        return body;
    }

    /**
     * Whether the body was read to its end, so that the JDK put its HTTP/1.1 connection back in the pool; not when
     * it was cut off (at {@link #MAX_BYTES} or at a deadline) or broke off, which closes the connection. Read once
     * the body completed.
     */
    synchronized boolean readWhole() {
        return readWhole;
    }

    /**
     * The body's first bytes as text, in the charset its {@code Content-Type} names (UTF-8 if none or unknown); a
     * character cut at the limit becomes U+FFFD. Read once the body completed.
     */
    synchronized String text() {
        return new String(bytes, 0, length, charset);
    }

    private static Charset charsetOf(String contentType) {
        int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (at < 0) {
            return StandardCharsets.UTF_8;
        }
        String name = contentType.substring(at + "charset=".length()).split(";", 2)[0].trim().replace("\"", "");
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }
}
