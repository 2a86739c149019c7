package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.H2cPeer;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.core.fixtures.StreamBehaviour;
import dev.resilienthttp.core.spi.AttemptResult;
import dev.resilienthttp.core.spi.Call;
import dev.resilienthttp.core.spi.CallPolicy;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The status is judged when the headers arrive: a response the policy calls a failure never has its body read
 * whole, whatever the caller's body handler, and the start of that body is kept for the caller to read.
 */
@Timeout(60)
class FailedResponseBodyTest {
    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    /** Far below 100 MB, above what loopback socket buffers may hold once the client stops reading. */
    private static final long FAR_BELOW = 8L * 1024 * 1024;
    /** The read-idle timeout of the stalled-body tests. */
    private static final Duration STALL = Duration.ofMillis(300);

    @ParameterizedTest(name = "{0} through {1}")
    @CsvSource({"429, SEND", "429, SEND_ASYNC", "503, SEND", "503, SEND_ASYNC"})
    void aFailedResponseWithAHundredMegabyteBodyEndsTheCallWithoutReadingItWhole(int status, Sending path)
            throws Exception {
        AtomicLong written = new AtomicLong();
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.largeBody(status, HUNDRED_MB, written));
             ResilientHttpClient client = client()) {
            HttpFailureException failure = path.failure(client, request(server), BodyHandlers.discarding());

            assertThat(failure.kind()).isEqualTo(status == 429 ? FailureKind.THROTTLED : FailureKind.SERVER_ERROR);
            assertThat(failure.report().timeline().get(0).status()).isEqualTo(status);
            assertThat(failure.bodyPrefix()).hasSize(ErrorBodyPrefix.MAX_BYTES).matches("x+");
            assertThat(failure.response()).hasValueSatisfying(r -> assertThat(r.body()).isNull());
            Await.until("the server's write ends: the client closed the connection", Duration.ofSeconds(20), () -> server.openConnections() == 0);
            assertThat(written.get()).as("bytes the server managed to write of the 100 MB body")
                    .isLessThan(FAR_BELOW);
        }
    }

    /**
     * The status was judged when the headers came; a body that then stalls is cut off at the read-idle timeout, as
     * one that breaks off: the attempt ends as its status (so a 429's Retry-After is heard), with what came of the
     * body, and its connection is closed, not pooled, as its body was not read to the end.
     */
    @ParameterizedTest(name = "{0} through {1}")
    @CsvSource({"429, SEND", "429, SEND_ASYNC", "503, SEND", "503, SEND_ASYNC"})
    void aFailedResponseWhoseBodyStallsEndsAsItsStatusWithWhatCameAtTheReadIdleTimeout(int status, Sending path)
            throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = builder().readIdleTimeout(STALL).build()) {
            server.enqueue(Behaviour.stallAfterHeaders(status, Map.of("Retry-After", "1"), 10, 100));
            long started = System.nanoTime();
            HttpFailureException failure = path.failure(client, request(server), BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(failure.kind()).isEqualTo(status == 429 ? FailureKind.THROTTLED : FailureKind.SERVER_ERROR);
            FailureReport.Attempt attempt = failure.report().timeline().get(0);
            assertThat(attempt.kind()).isEqualTo(failure.kind());
            assertThat(attempt.status()).isEqualTo(status);
            assertThat(attempt.outcome()).isEqualTo(Outcome.PROCESSED);
            assertThat(failure.bodyPrefix()).isEqualTo("x".repeat(10));
            assertThat(failure.response()).hasValueSatisfying(r -> {
                assertThat(r.statusCode()).isEqualTo(status);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            });
            assertThat(took).as("ended at the 0.3 s read-idle timeout, not the 30 s request timeout")
                    .isGreaterThanOrEqualTo(STALL).isLessThan(Duration.ofSeconds(10));
            Await.until("the server sees the cut connection closed", Duration.ofSeconds(10),
                    () -> server.openConnections() == 0);

            assertThat(path.call(client, request(server), BodyHandlers.ofString()).body()).isEqualTo("ok");
            assertThat(server.requests().get(1).onReusedConnection()).as("the cut connection was not pooled")
                    .isFalse();
            assertThat(server.connectionCount()).isEqualTo(2);
        }
    }

    /**
     * On HTTP/2 the cut resets the stream, not the shared connection: the attempt ends as its status with what came,
     * and the next request goes over the same connection.
     */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void aFailedHttp2ResponseWhoseBodyStallsEndsAsItsStatusAndLeavesTheConnectionShared(Sending path)
            throws Exception {
        try (H2cPeer peer = H2cPeer.start().enqueue(StreamBehaviour.respondThenStall(429, 10));
             ResilientHttpClient client = builder().version(HttpClient.Version.HTTP_2).readIdleTimeout(STALL)
                     .build()) {
            assertThat(path.call(client, request(peer.uri("/warm-up")), BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            HttpFailureException failure = path.failure(client, request(peer.uri("/stall")), BodyHandlers.ofString());

            assertThat(failure.kind()).isEqualTo(FailureKind.THROTTLED);
            assertThat(failure.report().timeline().get(0).status()).isEqualTo(429);
            assertThat(failure.bodyPrefix()).isEqualTo("x".repeat(10));
            assertThat(path.call(client, request(peer.uri("/after")), BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            assertThat(peer.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void aShortErrorBodyIsKeptWholeAndNeverReachesTheCallersHandler() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(
                Behaviour.respond(503, Map.of("Content-Type", "text/plain; charset=utf-8"), "busy, caf\u00e9"));
             ResilientHttpClient client = client()) {
            HttpResponse.BodyHandler<String> refusing = info -> {
                throw new AssertionError("the caller's handler got a failed response's body");
            };
            HttpFailureException failure = Sending.SEND.failure(client, request(server), refusing);

            assertThat(failure.kind()).isEqualTo(FailureKind.SERVER_ERROR);
            assertThat(failure.bodyPrefix()).isEqualTo("busy, caf\u00e9");
        }
    }

    @Test
    void aSuccessfulResponseGoesToTheCallersHandlerWithNoPrefixKept() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.ok());
             ResilientHttpClient client = client()) {
            assertThat(client.send(request(server), BodyHandlers.ofString()).body()).isEqualTo("ok");
        }
    }

    private static HttpRequest request(ScriptedHttpServer server) {
        return request(server.uri("/large-error"));
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).build();
    }

    private static ResilientHttpClient client() {
        return builder().build();
    }

    private static ResilientHttpClientBuilder builder() {
        return ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                .retry(new StatusFailsOnce());
    }

    /** One attempt; 429 is THROTTLED, any other status from 400 a SERVER_ERROR. */
    private static final class StatusFailsOnce implements CallPolicy {
        @Override
        public Optional<FailureKind> classify(HttpResponse.ResponseInfo response) {
            int status = response.statusCode();
            return status < 400 ? Optional.empty()
                    : Optional.of(status == 429 ? FailureKind.THROTTLED : FailureKind.SERVER_ERROR);
        }

        @Override
        public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
            AttemptResult<T> result = call.attempt(Duration.ZERO);
            if (result.succeeded()) {
                return result.successfulResponse();
            }
            assertThat(result.errorBodyPrefix()).hasSizeLessThanOrEqualTo(ErrorBodyPrefix.MAX_BYTES);
            throw call.failure();
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
            return call.attemptAsync(Duration.ZERO).thenCompose(result -> result.succeeded()
                    ? CompletableFuture.completedFuture(result.successfulResponse())
                    : CompletableFuture.failedFuture(call.failure()));
        }
    }
}
