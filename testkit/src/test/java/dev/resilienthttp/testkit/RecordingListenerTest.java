package dev.resilienthttp.testkit;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.RotationReason;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ManualClock;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The recording listener's order check: it rejects each way a call's events can be out of order (fed by hand), and
 * accepts what a real client tells it, on a call re-sent after a stale connection and on a cancelled call.
 */
@CheckLeaks
class RecordingListenerTest {
    private static final HttpRequest GET = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/a")).build();
    private static final HttpRequest OTHER = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/b")).build();
    /** A response that has a status, 200, and nothing else: the listener reads no more of it. */
    private static final HttpResponse<?> OK = (HttpResponse<?>) Proxy.newProxyInstance(
            HttpResponse.class.getClassLoader(), new Class<?>[] {HttpResponse.class},
            (proxy, method, args) -> method.getName().equals("statusCode") ? 200 : null);

    @Test
    void acceptsInterleavedCallsThatEachFollowTheContract() {
        RecordingListener listener = new RecordingListener();
        listener.callStarted(GET);
        listener.callStarted(OTHER);
        listener.attemptStarted(GET, 1);
        listener.attemptStarted(OTHER, 1);
        listener.attemptFailed(GET, 1, FailureKind.STALE_CONNECTION, 0, null);
        listener.generationRotated(1, 2, RotationReason.STALE_CONNECTION);
        listener.attemptFailed(OTHER, 1, FailureKind.SERVER_ERROR, 503, null);
        listener.attemptStarted(GET, 2);
        listener.callEnded(OTHER, 1, new InterruptedException());
        listener.attemptSucceeded(GET, 2, OK);
        listener.staleConnectionRecovered(GET, 2);
        listener.callSucceeded(GET, OK, 2);

        assertThatCode(listener::assertOrder).doesNotThrowAnyException();
        assertThat(listener.allCallsEnded()).isTrue();
    }

    @Test
    void rejectsAnAttemptThatSkipsANumber() {
        RecordingListener listener = new RecordingListener();
        listener.callStarted(GET);
        listener.attemptStarted(GET, 2);
        listener.attemptFailed(GET, 2, FailureKind.CONNECTION_RESET, 0, null);
        listener.callEnded(GET, 2, new InterruptedException());

        assertThatThrownBy(listener::assertOrder).isInstanceOf(AssertionError.class)
                .hasMessageContaining("attemptStarted 2 after [callStarted GET]: the next attempt is number 1");
    }

    @Test
    void rejectsAnAttemptThatStartsBeforeThePreviousOneEnded() {
        RecordingListener listener = new RecordingListener();
        listener.callStarted(GET);
        listener.attemptStarted(GET, 1);
        listener.attemptStarted(GET, 2);

        assertThatThrownBy(listener::assertOrder).isInstanceOf(AssertionError.class)
                .hasMessageContaining("attemptStarted 2 after [callStarted GET, attemptStarted 1]: attempt 1 has not"
                        + " ended")
                .hasMessageContaining("has not ended: [callStarted GET, attemptStarted 1, attemptStarted 2]");
    }

    @Test
    void rejectsAStaleRecoveryThatDoesNotFollowItsSucceededAttempt() {
        RecordingListener listener = new RecordingListener();
        listener.callStarted(GET);
        listener.attemptStarted(GET, 1);
        listener.attemptFailed(GET, 1, FailureKind.STALE_CONNECTION, 0, null);
        listener.staleConnectionRecovered(GET, 1);
        listener.callEnded(GET, 1, new InterruptedException());

        assertThatThrownBy(listener::assertOrder).isInstanceOf(AssertionError.class)
                .hasMessageContaining("staleConnectionRecovered 1 after")
                .hasMessageContaining("not after attemptFailed 1 STALE_CONNECTION");
    }

    @Test
    void rejectsACallThatSucceedsWithAnAttemptOpenOrAfterAFailedOne() {
        RecordingListener open = new RecordingListener();
        open.callStarted(GET);
        open.attemptStarted(GET, 1);
        open.callSucceeded(GET, OK, 1);
        assertThatThrownBy(open::assertOrder).hasMessageContaining("callSucceeded 1 after [callStarted GET,"
                + " attemptStarted 1]: attempt 1 has not ended");

        RecordingListener failed = new RecordingListener();
        failed.callStarted(GET);
        failed.attemptStarted(GET, 1);
        failed.attemptFailed(GET, 1, FailureKind.SERVER_ERROR, 500, null);
        failed.callSucceeded(GET, OK, 1);
        assertThatThrownBy(failed::assertOrder).hasMessageContaining("callSucceeded 1 after").hasMessageContaining(
                "no attempt succeeded");
    }

    @Test
    void rejectsAnEventAfterTheCallEndedAndOneWithNoCallStarted() {
        RecordingListener listener = new RecordingListener();
        listener.callStarted(GET);
        listener.callEnded(GET, 0, new InterruptedException());
        listener.attemptStarted(GET, 1);
        listener.attemptStarted(OTHER, 1);

        assertThatThrownBy(listener::assertOrder)
                .hasMessageContaining("attemptStarted 1 after [callStarted GET, callEnded InterruptedException 0]:"
                        + " the call had ended with callEnded InterruptedException 0")
                .hasMessageContaining("attemptStarted 1: no callStarted with this HttpRequest came before it");
    }

    @Test
    void rejectsAListenerThatHeardNoCall() {
        assertThatThrownBy(new RecordingListener()::assertOrder).hasMessageContaining("heard no call");
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void acceptsARealCallReSentAfterAStaleConnection(Sending sending) throws Exception {
        RecordingListener listener = new RecordingListener();
        ManualClock clock = new ManualClock();
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetOnReuse());
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("testkit-tests/1.0 (ops@example.org)")
                     .preferHttp1().listener(listener).clock(clock).build()) {
            assertThat(sending.call(client, HttpRequest.newBuilder(server.uri("/warm-up")).build(),
                    BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(2));   // the pooled connection sits idle long enough to be stale

            // A keyed POST: the JDK re-sends a GET itself, so only a request it will not repeat shows core's re-send.
            HttpRequest post = HttpRequest.newBuilder(server.uri("/articles")).header("Idempotency-Key", "k-1")
                    .POST(BodyPublishers.ofString("{}")).build();
            assertThat(sending.call(client, post, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }

        assertThat(listener.events()).containsSubsequence("callStarted POST", "attemptStarted 1",
                "attemptFailed 1 STALE_CONNECTION", "attemptStarted 2", "attemptSucceeded 2 200",
                "staleConnectionRecovered 2", "callSucceeded 2");
        listener.assertOrder();
    }

    @Test
    void acceptsARealCallCancelledWhileItsAttemptWaitsWhoseAttemptHasNoEnd() throws Exception {
        RecordingListener listener = new RecordingListener();
        CountDownLatch never = new CountDownLatch(1);
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.heldUntil(never, Duration.ofSeconds(30),
                Behaviour.ok()));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("testkit-tests/1.0 (ops@example.org)")
                     .preferHttp1().listener(listener).build()) {
            CompletableFuture<?> call = client.sendAsync(HttpRequest.newBuilder(server.uri("/held")).build(),
                    BodyHandlers.ofString());
            server.awaitRequests(1, Duration.ofSeconds(10));

            call.cancel(true);

            Await.until("the cancelled call's last event", Duration.ofSeconds(10), listener::allCallsEnded,
                    listener::events);
            never.countDown();
        }

        assertThat(listener.events()).endsWith("attemptStarted 1", "callEnded CancellationException 1");
        listener.assertOrder();
    }
}
