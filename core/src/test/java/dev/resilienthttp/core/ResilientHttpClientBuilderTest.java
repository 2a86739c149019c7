package dev.resilienthttp.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResilientHttpClientBuilderTest {

    @Test
    void buildingWithoutAUserAgentIsRefusedWithAMessageThatSaysWhyAndWhatToWrite() {
        assertThatThrownBy(() -> ResilientHttpClient.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("userAgent is required")
                .hasMessageContaining("block")
                .hasMessageContaining("article-enricher/2.0 (ops@example.org)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Java-http-client/17.0.15", "java-http-client/25", "okhttp/4.12.0",
            "Apache-HttpClient/5.3", "python-requests/2.31", "Go-http-client/1.1", "curl/8.0"})
    void aLibraryDefaultUserAgentIsRefused(String agent) {
        assertThatThrownBy(() -> ResilientHttpClient.builder().userAgent(agent).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("library default");
    }

    @Test
    void aUserAgentWithALineBreakIsRefused() {
        assertThatThrownBy(() -> ResilientHttpClient.builder().userAgent("svc/1\r\nX-Evil: 1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not allowed");
    }

    @Test
    void aDescriptiveUserAgentIsKept() {
        try (ResilientHttpClient client = ResilientHttpClient.builder()
                .userAgent("article-enricher/2.0 (ops@example.org)").build()) {
            assertThat(client.userAgent()).isEqualTo("article-enricher/2.0 (ops@example.org)");
            assertThat(client.currentGeneration()).as("building opens nothing").isZero();
        }
    }

    @Test
    void aJdkClientCustomizerThatThrowsIsRefusedAtBuildNotAtEveryCall() {
        assertThatThrownBy(() -> ResilientHttpClient.builder().userAgent("svc/1 (ops@example.org)")
                .jdkClient(jdk -> {
                    throw new IllegalStateException("no keystore at /etc/tls");
                }).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jdkClient")
                .hasMessageContaining("no keystore at /etc/tls");
    }

    @Test
    void aJdkClientCustomizerThatSetsTheExecutorIsRefusedAndNamesTheSettingToUse() {
        try (ResilientHttpClient client = ResilientHttpClient.builder().userAgent("svc/1 (ops@example.org)")
                .jdkClient(jdk -> jdk.executor(Runnable::run)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/")).build();

            assertThatThrownBy(() -> client.send(request, BodyHandlers.discarding()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jdkClient(…) set the JDK client's executor")
                    .hasMessageContaining("ResilientHttpClientBuilder.executor(…)");
        }
    }

    @Test
    void aRequestCarryingALibraryDefaultUserAgentOfItsOwnIsRefusedBeforeItIsSent() {
        try (ResilientHttpClient client = ResilientHttpClient.builder().userAgent("svc/1 (ops@example.org)").build()) {
            HttpRequest copied = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/"))
                    .header("user-agent", "Java-http-client/17.0.15").build();

            assertThatThrownBy(() -> client.send(copied, BodyHandlers.discarding()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the request's own User-Agent")
                    .hasMessageContaining("library default");
            assertThat(client.currentGeneration()).as("nothing was opened for it").isZero();
        }
    }

    @Test
    void zeroOrNegativeDurationsAreRefusedByName() {
        ResilientHttpClientBuilder builder = ResilientHttpClient.builder();
        assertThatThrownBy(() -> builder.maxIdle(Duration.ZERO)).hasMessage("maxIdle must be positive, was PT0S");
        assertThatThrownBy(() -> builder.maxConnectionAge(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxConnectionAge must be positive");
        assertThatThrownBy(() -> builder.requestTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("requestTimeout");
    }

    @Test
    void aReadIdleTimeoutThatIsNotPositiveOrTooLongToCountInNanosecondsIsRefusedByName() {
        ResilientHttpClientBuilder builder = ResilientHttpClient.builder();
        assertThatThrownBy(() -> builder.readIdleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readIdleTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> builder.readIdleTimeout(Duration.ofMillis(-1)))
                .hasMessageContaining("readIdleTimeout must be positive");
        assertThatThrownBy(() -> builder.readIdleTimeout(Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("readIdleTimeout is too long");
        assertThatThrownBy(() -> builder.requestTimeout(Duration.ofDays(365L * 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("requestTimeout is too long");
        builder.readIdleTimeout(Duration.ofDays(365L * 200));   // long, but countable: taken
    }

    @Test
    void theBuilderCanBeChangedAfterBuildWithoutChangingTheClient() {
        ResilientHttpClientBuilder builder = ResilientHttpClient.builder().userAgent("svc/1 (ops@example.org)");
        try (ResilientHttpClient first = builder.build();
             ResilientHttpClient second = builder.userAgent("svc/2 (ops@example.org)").build()) {
            assertThat(first.userAgent()).isEqualTo("svc/1 (ops@example.org)");
            assertThat(second.userAgent()).isEqualTo("svc/2 (ops@example.org)");
        }
    }

    @Test
    void aRedactionPatternThatMatchesTheEmptyStringIsRefusedWhenSet() {
        assertThatThrownBy(() -> ResilientHttpClient.builder().redact(Pattern.compile("x*")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matches the empty string");
        assertThat(ResilientHttpClient.builder().redact(Pattern.compile("(?<=/customers/)[^/]+")))
                .isNotNull();
    }
}
