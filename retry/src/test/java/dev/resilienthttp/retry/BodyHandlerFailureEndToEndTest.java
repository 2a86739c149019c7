package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A body handler of the caller's that throws (a bug, or a body it cannot map) ends the call with its exception, the
 * same through {@code send} and {@code sendAsync}: it is no transport failure, so it is neither retried nor reported
 * as one, though the JDK's {@code send} wraps it in an {@code IOException}.
 */
class BodyHandlerFailureEndToEndTest {
    private WireMockOrigin origin;
    private final List<String> heard = new CopyOnWriteArrayList<>();

    static Stream<Arguments> handlersAndSending() {
        BodyHandler<String> throwsAtHeaders = info -> {
            throw new IllegalStateException("a body handler's bug");
        };
        BodyHandler<String> cannotMap = info -> BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8),
                body -> {
                    throw new IllegalStateException("a body handler's bug");
                });
        return Stream.of(Sending.values()).flatMap(sending -> Stream.of(
                Arguments.of("apply throws", throwsAtHeaders, sending),
                Arguments.of("the mapper throws", cannotMap, sending)));
    }

    @BeforeEach
    void startOrigin() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get(urlPathEqualTo("/ok")).willReturn(ok("fine")));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @ParameterizedTest(name = "{0} through {2}")
    @MethodSource("handlersAndSending")
    void aBodyHandlerThatThrowsEndsTheCallWithItsExceptionUnretried(String what, BodyHandler<String> handler,
                                                                    Sending sending) {
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind,
                                      int status, Throwable cause) {
                heard.add("attemptFailed " + kind);
            }

            @Override
            public void callEnded(HttpRequest request, int attempts, Throwable cause) {
                heard.add("callEnded " + cause.getClass().getSimpleName());
            }

            @Override
            public void callFailed(HttpRequest request, FailureReport report) {
                heard.add("callFailed " + report.kind());
            }
        };
        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).listener(listener).build()) {
            HttpRequest request = HttpRequest.newBuilder(origin.uri("/ok")).build();

            Throwable thrown = catchThrowable(() -> sending.call(client, request, handler));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("a body handler's bug");
            assertThat(origin.server().findAll(getRequestedFor(urlPathEqualTo("/ok")))).as("not retried").hasSize(1);
            assertThat(heard).containsExactly("callEnded IllegalStateException");
        }
    }
}
