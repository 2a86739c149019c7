package dev.resilienthttp.retry;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.RecordedRequest;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 429 whose body stalls after the headers: the read-idle timeout cuts the body off, and the attempt ends as the
 * 429 it was, not as a timeout. So the standard policy honours its {@code Retry-After} and retries even an unkeyed
 * POST, which a timeout (the server may have acted on it) would not let it repeat.
 */
@Timeout(60)
class StalledErrorBodyEndToEndTest {
    private static final Duration IDLE = Duration.ofMillis(300);

    @ParameterizedTest
    @EnumSource(Sending.class)
    void anUnkeyedPostAnswered429WhoseBodyStallsIsRetriedAfterItsRetryAfterAndSucceeds(Sending sending)
            throws Exception {
        try (ScriptedHttpServer origin = ScriptedHttpServer.start();
             ResilientHttpClient client = Clients.resilient(RetryPolicy.standard()).readIdleTimeout(IDLE).build()) {
            origin.enqueue(Behaviour.stallAfterHeaders(429, Map.of("Retry-After", "1"), 10, 100));
            HttpRequest post = HttpRequest.newBuilder(origin.uri("/orders"))
                    .POST(BodyPublishers.ofString("order")).build();
            long started = System.nanoTime();

            HttpResponse<String> response = sending.call(client, post, BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("the stalled body's 0.3 s, then the 1 s the server asked for")
                    .isGreaterThanOrEqualTo(IDLE.plusSeconds(1));
            List<RecordedRequest> requests = origin.requests();
            assertThat(requests).hasSize(2).allSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
            assertThat(requests.get(1).onReusedConnection()).as("the cut connection was closed, not pooled")
                    .isFalse();
        }
    }
}
