package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.fixtures.H2cPeer;
import dev.resilienthttp.core.fixtures.H2cPeer.SeenStream;
import dev.resilienthttp.core.fixtures.StreamBehaviour;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A POST without an {@code Idempotency-Key} to an HTTP/2 server that allows one stream at a time, while another call
 * holds that stream: the JDK refuses the POST's stream before writing it, so the standard decision retries it (with
 * backoff), and once the held call is answered a retry delivers it, once. The held call is answered when the POST's
 * first attempt has failed.
 */
class Http2StreamLimitEndToEndTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** {@link Clients#shortBackoff()}'s steps, with attempts enough that the held answer always lands in time. */
    private static RetryPolicy policy() {
        return RetryPolicy.builder().maxAttempts(10).backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .random(new Random(42)).build();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aPostOverTheServersStreamLimitIsRetriedAndReachesTheServerOnceTheHeldStreamEnds(Sending sending)
            throws Exception {
        CountDownLatch answerHeld = new CountDownLatch(1);
        List<String> attempts = new CopyOnWriteArrayList<>();
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                attempts.add(attempt + " " + kind);
                answerHeld.countDown();
            }
        };
        try (H2cPeer peer = H2cPeer.startWithStreamLimit(StreamBehaviour.respond200(), 1)
                .enqueue(StreamBehaviour.respond200When(answerHeld, BOUND));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(Clients.USER_AGENT)
                     .version(HttpClient.Version.HTTP_2).retry(policy()).listener(listener).build()) {
            sending.call(client, HttpRequest.newBuilder(peer.uri("/warm-up")).build(), BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> held =
                    client.sendAsync(HttpRequest.newBuilder(peer.uri("/held")).build(), BodyHandlers.ofString());
            peer.awaitStreams(2, BOUND);
            HttpRequest post = HttpRequest.newBuilder(peer.uri("/articles")).POST(BodyPublishers.ofString("{}"))
                    .build();

            HttpResponse<String> response;
            try {
                response = sending.call(client, post, BodyHandlers.ofString());
            } finally {
                answerHeld.countDown();
            }

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(attempts).as("the attempts refused before the held stream ended").isNotEmpty()
                    .startsWith("1 HTTP2_STREAM_REFUSED")
                    .allSatisfy(attempt -> assertThat(attempt).endsWith(" HTTP2_STREAM_REFUSED"));
            assertThat(held.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(peer.streams()).as("the POST reached the server once: no refused attempt opened a stream")
                    .containsExactly(new SeenStream(0, 1), new SeenStream(0, 3), new SeenStream(0, 5));
            assertThat(peer.errors()).isEmpty();
        }
    }
}
