package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.RecordedRequest;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A keyed POST whose body cannot be replayed ({@code ofInputStream} over one shared stream, a publisher that allows
 * one subscription), its first attempt answered 503 or redirected: the re-send must not reach the server as a complete
 * request with another body, and the call fails with a report of every attempt instead of a success that lost the
 * data. A body that can be replayed is retried as before.
 */
class NonReplayableBodyEndToEndTest {
    static final String NOT_REPLAYABLE = "the request body differs on re-send: its publisher is not replayable";
    private static final byte[] EVENT = "{\"article_id\":\"article-1\",\"text\":\"hello\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final ScriptedHttpServer origin = ScriptedHttpServer.start();

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aSharedStreamIsNotReSentEmptyAfterA503TheCallFailsWithBothAttempts(Sending sending) throws Exception {
        origin.enqueue(Behaviour.respond(503, Map.of(), "busy"));
        InputStream shared = new ByteArrayInputStream(EVENT);

        HttpFailureException failure;
        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
            failure = sending.failure(client, keyedPost(BodyPublishers.ofInputStream(() -> shared)),
                    BodyHandlers.ofString());
        }
        origin.close();   // every request the server was to read is read

        assertThat(origin.requests()).as("only complete requests are recorded: none with another body")
                .extracting(RecordedRequest::bodyAsString).containsOnly(new String(EVENT, StandardCharsets.UTF_8));
        assertReSendRefused(failure.report(), FailureKind.SERVER_ERROR);
        assertThat(failure.report().timeline().get(0).status()).isEqualTo(503);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aSupplierThatOpensTheStreamAnewIsRetriedAndSentWhole(Sending sending) throws Exception {
        origin.enqueue(Behaviour.respond(503, Map.of(), "busy"));

        HttpResponse<String> response;
        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
            response = sending.call(client, keyedPost(BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(EVENT))), BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(origin.requests()).extracting(RecordedRequest::bodyAsString)
                .containsExactly(new String(EVENT, StandardCharsets.UTF_8), new String(EVENT, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aPublisherThatAllowsOneSubscriptionFailsTheCallWithTheFirstAttemptsReport(Sending sending) throws Exception {
        origin.enqueue(Behaviour.respond(503, Map.of(), "busy"));

        HttpFailureException failure;
        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
            failure = sending.failure(client, keyedPost(BodyPublishers.fromPublisher(new OneSubscription(EVENT))),
                    BodyHandlers.ofString());
        }

        FailureReport report = failure.report();
        assertThat(report.attempts()).as(report.toString()).isEqualTo(2);
        assertThat(report.timeline().get(0).status()).isEqualTo(503);
        assertThat(report.timeline().get(1).kind()).isEqualTo(FailureKind.IO_ERROR);
        assertThat(report.timeline().get(1).exceptionMessage()).contains("failed on re-send")
                .contains("only one subscription");
        assertThat(report.kind().isTransient()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aSharedStreamIsNotReSentEmptyToWhereA307RedirectsIt(Sending sending) throws Exception {
        origin.enqueue(Behaviour.respond(307, Map.of("Location", "/elsewhere"), ""));
        InputStream shared = new ByteArrayInputStream(EVENT);

        HttpFailureException failure;
        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff())
                .jdkClient(jdk -> jdk.followRedirects(HttpClient.Redirect.NORMAL)).build()) {
            failure = sending.failure(client, keyedPost(BodyPublishers.ofInputStream(() -> shared)),
                    BodyHandlers.ofString());
        }
        origin.close();

        assertThat(origin.requests()).extracting(RecordedRequest::bodyAsString)
                .containsOnly(new String(EVENT, StandardCharsets.UTF_8));
        FailureReport report = failure.report();
        assertThat(report.attempts()).as("the JDK followed the redirect inside the one attempt: " + report)
                .isEqualTo(1);
        assertThat(report.timeline().get(0).kind()).isEqualTo(FailureKind.IO_ERROR);
        assertThat(report.timeline().get(0).exceptionMessage()).contains(NOT_REPLAYABLE);
    }

    /** Two attempts: the first failed as {@code firstKind}, the second refused its re-send, permanently. */
    static void assertReSendRefused(FailureReport report, FailureKind firstKind) {
        assertThat(report.attempts()).as(report.toString()).isEqualTo(2);
        assertThat(report.timeline().get(0).kind()).isEqualTo(firstKind);
        FailureReport.Attempt second = report.timeline().get(1);
        assertThat(second.kind()).isEqualTo(FailureKind.IO_ERROR);
        assertThat(second.exceptionMessage()).contains(NOT_REPLAYABLE)
                .contains("give a supplier that opens the body anew");
        assertThat(report.kind()).isEqualTo(FailureKind.IO_ERROR);
        assertThat(report.kind().isTransient()).isFalse();
    }

    private HttpRequest keyedPost(BodyPublisher body) {
        return HttpRequest.newBuilder(origin.uri("/events")).header("Idempotency-Key", "event-1").POST(body).build();
    }

    /** A body that can be subscribed to once, as many reactive sources allow: a second subscriber gets an error. */
    private static final class OneSubscription implements Flow.Publisher<ByteBuffer> {
        private final byte[] bytes;
        private final AtomicBoolean taken = new AtomicBoolean();

        OneSubscription(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            if (!taken.compareAndSet(false, true)) {
                throw new IllegalStateException("this body allows only one subscription");
            }
            subscriber.onSubscribe(new Flow.Subscription() {
                private boolean done;

                @Override
                public void request(long n) {
                    if (!done) {
                        done = true;
                        subscriber.onNext(ByteBuffer.wrap(bytes));
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        }
    }
}
