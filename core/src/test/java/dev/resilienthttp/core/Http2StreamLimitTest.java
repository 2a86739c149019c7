package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.H2cPeer;
import dev.resilienthttp.core.fixtures.H2cPeer.SeenStream;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.core.fixtures.StreamBehaviour;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP/2 server that allows one stream at a time (SETTINGS_MAX_CONCURRENT_STREAMS = 1) while a call holds that
 * stream: the JDK fails the next call on the connection at once, before it writes a frame of it. The attempt is an
 * {@code HTTP2_STREAM_REFUSED} that sent nothing, transient, which a policy may retry whatever the method; it is not
 * a permanent {@code IO_ERROR}.
 */
class Http2StreamLimitTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aCallOverTheServersStreamLimitIsAStreamRefusedThatSentNothing(Sending sending) throws Exception {
        CountDownLatch answerHeld = new CountDownLatch(1);
        try (H2cPeer peer = H2cPeer.startWithStreamLimit(StreamBehaviour.respond200(), 1)
                .enqueue(StreamBehaviour.respond200When(answerHeld, BOUND));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                     .version(HttpClient.Version.HTTP_2).build()) {
            sending.call(client, HttpRequest.newBuilder(peer.uri("/warm-up")).build(), BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> held =
                    client.sendAsync(HttpRequest.newBuilder(peer.uri("/held")).build(), BodyHandlers.ofString());
            peer.awaitStreams(2, BOUND);
            HttpRequest post = HttpRequest.newBuilder(peer.uri("/articles")).POST(BodyPublishers.ofString("{}"))
                    .build();

            HttpFailureException failure;
            try {
                failure = sending.failure(client, post, BodyHandlers.ofString());
            } finally {
                answerHeld.countDown();
            }

            FailureReport report = failure.report();
            assertThat(report.kind()).as(report.failReason()).isEqualTo(FailureKind.HTTP2_STREAM_REFUSED);
            assertThat(report.outcome()).isEqualTo(Outcome.NOT_SENT);
            assertThat(report.attempts()).isEqualTo(1);
            assertThat(held.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(sending.call(client, post, BodyHandlers.ofString()).statusCode())
                    .as("once the held stream ended, the POST fits").isEqualTo(200);
            assertThat(peer.streams()).as("the refused attempt opened no stream")
                    .containsExactly(new SeenStream(0, 1), new SeenStream(0, 3), new SeenStream(0, 5));
            assertThat(peer.errors()).isEmpty();
        }
    }
}
