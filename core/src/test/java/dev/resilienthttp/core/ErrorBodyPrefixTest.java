package dev.resilienthttp.core;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deadline's cut of a failure's body, from another thread than the one delivering it: bytes either came before
 * the cut, and are kept, or after it, and are dropped; and the body completes before its subscription is cancelled.
 */
class ErrorBodyPrefixTest {

    @Test
    void aCutItsDeadlineNoLongerAsksForLeavesTheBodyToBeReadToItsEnd() {
        ErrorBodyPrefix<Void> prefix = new ErrorBodyPrefix<>(info());
        Subscription subscription = new Subscription(prefix.getBody().toCompletableFuture());
        prefix.onSubscribe(subscription);
        prefix.onNext(bytes("abc"));

        assertThat(prefix.cut(() -> false)).as("a byte came since: not due").isFalse();
        prefix.onNext(bytes("de"));
        prefix.onComplete();

        assertThat(subscription.cancelled).isFalse();
        assertThat(prefix.readWhole()).isTrue();
        assertThat(prefix.text()).isEqualTo("abcde");
    }

    @Test
    void bytesThatArriveAfterACutAreDroppedAndTheBodyCompletedBeforeItsSubscriptionWasCancelled() {
        ErrorBodyPrefix<Void> prefix = new ErrorBodyPrefix<>(info());
        Subscription subscription = new Subscription(prefix.getBody().toCompletableFuture());
        prefix.onSubscribe(subscription);
        prefix.onNext(bytes("abc"));

        assertThat(prefix.cut(() -> true)).isTrue();
        prefix.onNext(bytes("def"));
        prefix.onComplete();

        assertThat(subscription.cancelled).isTrue();
        assertThat(subscription.bodyDoneAtCancel).as("the JDK completes the response with the body, not a failure")
                .isTrue();
        assertThat(subscription.requested).as("nothing more asked for after the cut").isEqualTo(2);
        assertThat(prefix.readWhole()).as("cut: its connection is closed, not pooled").isFalse();
        assertThat(prefix.text()).isEqualTo("abc");
    }

    @Test
    void aBodyThatEndedBeforeTheCutIsNotCut() {
        ErrorBodyPrefix<Void> prefix = new ErrorBodyPrefix<>(info());
        Subscription subscription = new Subscription(prefix.getBody().toCompletableFuture());
        prefix.onSubscribe(subscription);
        prefix.onNext(bytes("abc"));
        prefix.onComplete();

        assertThat(prefix.cut(() -> true)).as("ended already").isTrue();

        assertThat(subscription.cancelled).isFalse();
        assertThat(prefix.readWhole()).isTrue();
        assertThat(prefix.text()).isEqualTo("abc");
    }

    @Test
    void aBodyCutBeforeItWasSubscribedCancelsItsSubscriptionOnArrival() {
        ErrorBodyPrefix<Void> prefix = new ErrorBodyPrefix<>(info());
        Subscription subscription = new Subscription(prefix.getBody().toCompletableFuture());

        assertThat(prefix.cut(() -> true)).isTrue();
        prefix.onSubscribe(subscription);

        assertThat(subscription.cancelled).isTrue();
        assertThat(subscription.requested).isZero();
        assertThat(prefix.getBody().toCompletableFuture()).isCompleted();
        assertThat(prefix.text()).isEmpty();
    }

    private static List<ByteBuffer> bytes(String text) {
        return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private static ResponseInfo info() {
        return new ResponseInfo() {
            @Override
            public int statusCode() {
                return 429;
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of(), (name, value) -> true);
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }

    /** Records what the subscriber asks of it, and whether its body had completed when it cancelled. */
    private static final class Subscription implements Flow.Subscription {
        private final CompletableFuture<?> body;
        private long requested;
        private boolean cancelled;
        private boolean bodyDoneAtCancel;

        Subscription(CompletableFuture<?> body) {
            this.body = body;
        }

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
            bodyDoneAtCancel = body.isDone();
        }
    }
}
