package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.OffloadedPublisher;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PreparedRequestTest {
    private static final String AGENT_VALUE = "article-enricher/2.0 (ops@example.org)";
    private static final List<String> AGENT = List.of(AGENT_VALUE);
    private static final Optional<Duration> THIRTY_SECONDS = Optional.of(Duration.ofSeconds(30));

    private final HttpRequest caller = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/articles/7"))
            .header("Content-Type", "application/json").header("Idempotency-Key", "article-7")
            .header("Accept", "a/b").header("Accept", "c/d")
            .version(HttpClient.Version.HTTP_1_1).expectContinue(true)
            .PUT(BodyPublishers.ofString("{}")).build();

    @Test
    void aRequestWithoutAgentOrTimeoutGetsTheClientsAndKeepsEverythingElse() {
        HttpRequest prepared = PreparedRequest.of(caller, AGENT, THIRTY_SECONDS, null);

        assertThat(prepared.headers().allValues("User-Agent")).containsExactly(AGENT_VALUE);
        assertThat(prepared.headers().allValues("accept")).containsExactly("a/b", "c/d");
        assertThat(prepared.headers().firstValue("Idempotency-Key")).contains("article-7");
        assertThat(prepared.headers().map()).hasSize(caller.headers().map().size() + 1);
        assertThat(prepared.timeout()).contains(Duration.ofSeconds(30));
        assertThat(prepared.method()).isEqualTo("PUT");
        assertThat(prepared.uri()).isEqualTo(caller.uri());
        assertThat(prepared.version()).contains(HttpClient.Version.HTTP_1_1);
        assertThat(prepared.expectContinue()).isTrue();
        assertThat(prepared.bodyPublisher()).isEqualTo(caller.bodyPublisher());
    }

    @Test
    void aRequestsOwnAgentAndTimeoutWin() {
        HttpRequest own = HttpRequest.newBuilder(caller, (name, value) -> true)
                .setHeader("User-Agent", "special/1 (x@example.org)").timeout(Duration.ofSeconds(3)).build();

        HttpRequest prepared = PreparedRequest.of(own, AGENT, THIRTY_SECONDS, null);
        assertThat(prepared.headers()).as("not copied").isSameAs(own.headers());
        assertThat(prepared.timeout()).contains(Duration.ofSeconds(3));
        HttpRequest agentOnly = PreparedRequest.of(HttpRequest.newBuilder(caller, (name, value) -> true)
                .setHeader("user-agent", "special/1 (x@example.org)").build(), AGENT, THIRTY_SECONDS, null);
        assertThat(agentOnly.headers().allValues("User-Agent")).containsExactly("special/1 (x@example.org)");
        assertThat(agentOnly.timeout()).contains(Duration.ofSeconds(30));
    }

    @Test
    void theJdkIsGivenTheRequestWithoutItsTimeoutAndOtherwiseTheSame() {
        HttpRequest prepared = PreparedRequest.of(caller, AGENT, THIRTY_SECONDS, null);

        HttpRequest untimed = PreparedRequest.untimed(prepared);
        assertThat(untimed.timeout()).as("kept by the attempt's deadline, not the JDK's timer").isEmpty();
        assertThat(untimed.headers()).isEqualTo(prepared.headers());
        assertThat(untimed.method()).isEqualTo("PUT");
        assertThat(untimed.uri()).isEqualTo(caller.uri());
        assertThat(untimed.bodyPublisher()).isEqualTo(caller.bodyPublisher());
        assertThat(PreparedRequest.untimed(untimed)).isSameAs(untimed);
    }

    @Test
    void itPrintsAsTheJdksRequestsDo() {
        assertThat(PreparedRequest.of(caller, AGENT, THIRTY_SECONDS, null))
                .hasToString(caller.toString()).hasToString("http://127.0.0.1:8080/articles/7 PUT");
    }

    @Test
    void aRequestFromTheClientsOwnBuilderIsSentWithoutACopy() {
        try (ResilientHttpClient client = ResilientHttpClient.builder().userAgent(AGENT_VALUE).build()) {
            HttpRequest own = client.newRequest(caller.uri()).POST(BodyPublishers.ofString("{}")).build();

            assertThat(own.headers().allValues("User-Agent")).containsExactly(AGENT_VALUE);
            assertThat(own.timeout()).contains(Duration.ofSeconds(30));
            HttpRequest prepared = PreparedRequest.of(own, AGENT, THIRTY_SECONDS, Runnable::run);
            assertThat(prepared.headers()).isSameAs(own.headers());
            assertThat(prepared.timeout()).isEqualTo(own.timeout());
            assertThat(prepared.bodyPublisher()).isEqualTo(own.bodyPublisher());
        }
    }

    @Test
    void eachCallOfOneRequestObjectGetsARequestObjectOfItsOwn() {
        HttpRequest own = HttpRequest.newBuilder(caller, (name, value) -> true)
                .setHeader("User-Agent", AGENT_VALUE).timeout(Duration.ofSeconds(3)).build();

        HttpRequest first = PreparedRequest.of(own, AGENT, THIRTY_SECONDS, Runnable::run);
        HttpRequest second = PreparedRequest.of(own, AGENT, THIRTY_SECONDS, Runnable::run);

        assertThat(first).as("what the call's listener events carry").isNotSameAs(own).isNotSameAs(second);
        assertThat(second).isNotSameAs(own);
    }

    @Test
    void aBodyThatMayBlockIsPulledOnTheWorkersAndAnInMemoryOneIsNot() {
        HttpRequest streamed = HttpRequest.newBuilder(caller, (name, value) -> true)
                .setHeader("User-Agent", AGENT_VALUE).timeout(Duration.ofSeconds(3))
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[3]))).build();

        HttpRequest prepared = PreparedRequest.of(streamed, AGENT, THIRTY_SECONDS, Runnable::run);

        assertThat(prepared.bodyPublisher()).get().isInstanceOf(OffloadedPublisher.class);
        assertThat(prepared.bodyPublisher().get().contentLength()).isEqualTo(-1);
        assertThat(PreparedRequest.of(streamed, AGENT, THIRTY_SECONDS, null).bodyPublisher())
                .as("no workers: the JDK's executor pulls it").isEqualTo(streamed.bodyPublisher());
        assertThat(PreparedRequest.of(caller, AGENT, THIRTY_SECONDS, Runnable::run).bodyPublisher())
                .isEqualTo(caller.bodyPublisher());
    }
}
