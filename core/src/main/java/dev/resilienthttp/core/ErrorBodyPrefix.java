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

/**
 * The body of a response the policy judged a failure when its headers came: instead of the caller's handler, which
 * might read a 100 MB error page whole before a retry, this keeps the first {@link #MAX_BYTES} and cancels the rest
 * (the JDK then closes the connection). A shorter body is read to its end, so its connection can be reused. The
 * body it completes with is {@code null}; its start is {@link #text()}.
 *
 * <p>An error body that breaks off completes the same way, with what came: the status already says what failed,
 * and a reset in its body says nothing more.
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
    private Flow.Subscription subscription;
    /** Grows with what arrives, up to {@link #MAX_BYTES}: most error bodies are a few hundred bytes. */
    private byte[] bytes = new byte[0];
    private int length;
    /** Set once the body arrived to its end: the JDK then keeps the connection for the next request. */
    private volatile boolean readWhole;

    ErrorBodyPrefix(ResponseInfo info) {
        this.charset = charsetOf(info.headers().firstValue("Content-Type").orElse(""));
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer item : items) {
            int take = Math.min(item.remaining(), MAX_BYTES - length);
            if (length + take > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(MAX_BYTES, Math.max(length + take, 2 * bytes.length)));
            }
            item.get(bytes, length, take);
            length += take;
        }
        if (length == MAX_BYTES) {
            subscription.cancel();   // the rest is not worth reading: the JDK closes the connection instead
            body.complete(null);
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        body.complete(null);
    }

    @Override
    public void onComplete() {
        readWhole = true;
        body.complete(null);
    }

    @Override
    public CompletionStage<T> getBody() {
        return body;
    }

    /**
     * Whether the body was read to its end, so that the JDK put its HTTP/1.1 connection back in the pool; not when
     * it was cut off at {@link #MAX_BYTES} or broke off, which closes the connection. Read once the body completed.
     */
    boolean readWhole() {
        return readWhole;
    }

    /**
     * The body's first bytes as text, in the charset its {@code Content-Type} names (UTF-8 if none or unknown); a
     * character cut at the limit becomes U+FFFD. Read once the body completed.
     */
    String text() {
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
