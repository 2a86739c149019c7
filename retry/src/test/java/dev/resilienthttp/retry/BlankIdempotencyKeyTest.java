package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A blank {@code Idempotency-Key} is no key: a server cannot tell two requests apart by it, so a POST that carries one
 * is not re-sent after it may have been processed, and {@link IdempotencyKeys#withKey} replaces it.
 */
class BlankIdempotencyKeyTest {
    private WireMockOrigin origin;

    @BeforeEach
    void start() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(post("/articles").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private HttpRequest postWithKey(String key) {
        return HttpRequest.newBuilder(origin.uri("/articles")).header(IdempotencyKeys.HEADER, key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":7}")).build();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aPostWithABlankKeyIsNotResentAfterAResetThatMayHaveBeenProcessed(Sending sending) throws Exception {
        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
            Throwable thrown = catchThrowable(() -> sending.call(client, postWithKey(" "), BodyHandlers.ofString()));

            assertThat(thrown).isInstanceOf(HttpFailureException.class);
            HttpFailureException failure = (HttpFailureException) thrown;
            assertThat(failure.report().attempts()).isEqualTo(1);
            assertThat(failure.report().outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
        }
        origin.server().verify(1, postRequestedFor(urlEqualTo("/articles")));
    }

    @Test
    void withKeyReplacesABlankKeyAndKeepsARealOne() {
        assertThat(IdempotencyKeys.withKey(postWithKey(""), "event-7").headers().allValues(IdempotencyKeys.HEADER))
                .containsExactly("event-7");
        assertThat(IdempotencyKeys.withKey(postWithKey("event-1"), "event-7").headers()
                .allValues(IdempotencyKeys.HEADER)).containsExactly("event-1");
    }
}
