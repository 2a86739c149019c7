package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ManualClock;
import dev.resilienthttp.core.fixtures.BlackholeServer;
import dev.resilienthttp.core.fixtures.H2cPeer;
import dev.resilienthttp.core.fixtures.RefusingPort;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.StreamBehaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every transport {@link FailureKind}, reproduced on loopback against the real JDK client (17 or 25, whichever runs
 * the tests) and classified with its {@link Outcome}: what the caller gets, and how often the server was asked.
 */
class TransportFailureKindsTest {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    private ResilientHttpClient client(ResilientHttpClientBuilder builder) {
        return use(builder.userAgent("core-tests/1.0 (ops@example.org)").build());
    }

    private static HttpRequest post(URI uri) {
        return HttpRequest.newBuilder(uri).POST(BodyPublishers.ofString("{\"id\":1}")).build();
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().build();
    }

    private static HttpFailureException failureOf(Sending sending, ResilientHttpClient client, HttpRequest request) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> sending.call(client, request, BodyHandlers.ofString()));
        assertThat(thrown).isInstanceOf(HttpFailureException.class);
        return (HttpFailureException) thrown;
    }

    private static void assertKind(HttpFailureException failure, FailureKind kind, Outcome outcome, int attempts) {
        assertThat(failure.kind()).as(failure.report().failReason()).isEqualTo(kind);
        assertThat(failure.report().outcome()).as(failure.report().failReason()).isEqualTo(outcome);
        assertThat(failure.report().attempts()).as(failure.report().failReason()).isEqualTo(attempts);
        assertThat(failure.report().failReason()).startsWith(kind.name());
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aResetOnAPooledConnectionThatSatIdleBeforeTheResponseIsAStaleConnection(Sending sending) throws Exception {
        ScriptedHttpServer server = use(ScriptedHttpServer.start(Behaviour.resetOnReuse()));
        ManualClock clock = new ManualClock();
        ResilientHttpClient client = client(ResilientHttpClient.builder().preferHttp1().clock(clock));
        sending.call(client, get(server.uri("/warm-up")), BodyHandlers.ofString());
        clock.advance(Duration.ofSeconds(2));

        HttpFailureException failure = failureOf(sending, client, post(server.uri("/a")));

        assertKind(failure, FailureKind.STALE_CONNECTION, Outcome.MAYBE_PROCESSED, 1);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aResetOnAPooledConnectionReusedAtOnceIsTheServersConnectionResetNotAStaleOne(Sending sending)
            throws Exception {
        ScriptedHttpServer server = use(ScriptedHttpServer.start(Behaviour.resetOnReuse()));
        RecordingListener listener = new RecordingListener();
        ManualClock clock = new ManualClock();
        ResilientHttpClient client = client(ResilientHttpClient.builder().preferHttp1().clock(clock)
                .listener(listener));
        sending.call(client, get(server.uri("/warm-up")), BodyHandlers.ofString());
        clock.advance(Duration.ofMillis(5));   // back to back: a connection idle for milliseconds is not stale

        HttpFailureException failure = failureOf(sending, client, post(server.uri("/a")));

        assertKind(failure, FailureKind.CONNECTION_RESET, Outcome.MAYBE_PROCESSED, 1);
        assertThat(listener.events()).noneMatch(event -> event.startsWith("generationRotated"));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aResetOnAFreshConnectionBeforeTheResponseIsAConnectionResetThatMayHaveBeenProcessed(Sending sending) {
        ScriptedHttpServer server = use(ScriptedHttpServer.start().enqueue(Behaviour.resetBeforeResponse()));
        ResilientHttpClient client = client(ResilientHttpClient.builder().preferHttp1());

        HttpFailureException failure = failureOf(sending, client, post(server.uri("/a")));

        assertKind(failure, FailureKind.CONNECTION_RESET, Outcome.MAYBE_PROCESSED, 1);
        assertThat(server.requestCount()).as("a POST is not re-sent").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aResetInTheMiddleOfTheBodyIsAConnectionResetTheServerProcessed(Sending sending) {
        ScriptedHttpServer server = use(ScriptedHttpServer.start().enqueue(Behaviour.resetAfterHeaders(100, 1000)));
        ResilientHttpClient client = client(ResilientHttpClient.builder().preferHttp1());

        HttpFailureException failure = failureOf(sending, client, get(server.uri("/article")));

        assertKind(failure, FailureKind.CONNECTION_RESET, Outcome.PROCESSED, 1);
        assertThat(failure.getCause()).hasMessageContaining("bytes received: 100");
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aRefusedConnectionIsAConnectFailureThatWasNotSent(Sending sending) {
        RefusingPort port = use(RefusingPort.reserve());
        ResilientHttpClient client = client(ResilientHttpClient.builder());

        HttpFailureException failure = failureOf(sending, client, post(port.uri("/a")));

        assertKind(failure, FailureKind.CONNECT_FAILURE, Outcome.NOT_SENT, 1);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aConnectThatHangsIsAConnectTimeoutThatWasNotSent(Sending sending) {
        BlackholeServer blackhole = use(BlackholeServer.start());
        ResilientHttpClient client = client(ResilientHttpClient.builder().connectTimeout(Duration.ofMillis(500)));

        HttpFailureException failure = failureOf(sending, client, post(blackhole.uri("/a")));

        assertKind(failure, FailureKind.CONNECT_TIMEOUT, Outcome.NOT_SENT, 1);
        assertThat(failure.report().elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aServerThatNeverAnswersIsARequestTimeoutThatMayHaveBeenProcessed(Sending sending) {
        ScriptedHttpServer server = use(ScriptedHttpServer.start(Behaviour.silent()));
        ResilientHttpClient client = client(ResilientHttpClient.builder().requestTimeout(Duration.ofMillis(500)));

        HttpFailureException failure = failureOf(sending, client, post(server.uri("/a")));

        assertKind(failure, FailureKind.REQUEST_TIMEOUT, Outcome.MAYBE_PROCESSED, 1);
        assertThat(failure.report().timeline().get(0).duration()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void anHttp2StreamThePeerRefusedIsNotSent(Sending sending) throws Exception {
        H2cPeer peer = use(H2cPeer.start().enqueue(
                StreamBehaviour.rstStream(StreamBehaviour.REFUSED_STREAM),
                StreamBehaviour.rstStream(StreamBehaviour.REFUSED_STREAM)));
        ResilientHttpClient client = client(ResilientHttpClient.builder().version(HttpClient.Version.HTTP_2));
        sending.call(client, get(peer.uri("/warm-up")), BodyHandlers.ofString());

        HttpFailureException failure = failureOf(sending, client, post(peer.uri("/a")));

        assertKind(failure, FailureKind.HTTP2_STREAM_REFUSED, Outcome.NOT_SENT, 1);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void anHttp2StreamThePeerResetMayHaveBeenProcessed(Sending sending) throws Exception {
        H2cPeer peer = use(H2cPeer.start().enqueue(StreamBehaviour.rstStream(StreamBehaviour.INTERNAL_ERROR)));
        ResilientHttpClient client = client(ResilientHttpClient.builder().version(HttpClient.Version.HTTP_2));
        sending.call(client, get(peer.uri("/warm-up")), BodyHandlers.ofString());

        HttpFailureException failure = failureOf(sending, client, post(peer.uri("/a")));

        assertKind(failure, FailureKind.HTTP2_RESET, Outcome.MAYBE_PROCESSED, 1);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aTcpResetOnAnIdleHttp2ConnectionIsAStaleConnectionAndAGetRecoversFromIt(Sending sending) throws Exception {
        H2cPeer peer = use(H2cPeer.start().enqueue(StreamBehaviour.tcpReset()));
        ManualClock clock = new ManualClock();
        ResilientHttpClient client = client(ResilientHttpClient.builder().version(HttpClient.Version.HTTP_2)
                .clock(clock));
        sending.call(client, get(peer.uri("/warm-up")), BodyHandlers.ofString());
        clock.advance(Duration.ofSeconds(2));   // no stream on the shared connection meanwhile

        int status = sending.call(client, get(peer.uri("/again")), BodyHandlers.ofString()).statusCode();

        assertThat(status).as("the JDK does not retry this on HTTP/2; core does, on a fresh connection").isEqualTo(200);
        assertThat(peer.connectionCount()).isEqualTo(2);
    }

    /**
     * The request after an idle gap waits long on the shared HTTP/2 connection; meanwhile another stream is answered
     * over it, which proves it alive. A reset that follows is the server's or the path's, not a stale connection:
     * no rotation, and no immediate re-send of every stream on it.
     */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void aTcpResetOnAnHttp2ConnectionThatAnsweredSinceItsIdleGapIsAConnectionResetNotAStaleOne(Sending sending)
            throws Exception {
        H2cPeer peer = use(H2cPeer.start().enqueue(StreamBehaviour.silent(), StreamBehaviour.respond200(),
                StreamBehaviour.tcpReset()));
        ManualClock clock = new ManualClock();
        ResilientHttpClient client = client(ResilientHttpClient.builder().version(HttpClient.Version.HTTP_2)
                .clock(clock));
        sending.call(client, get(peer.uri("/warm-up")), BodyHandlers.ofString());
        clock.advance(Duration.ofSeconds(2));   // no stream on the shared connection meanwhile
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(get(peer.uri("/slow")),
                BodyHandlers.ofString());
        peer.awaitStreams(2, Duration.ofSeconds(10));
        assertThat(sending.call(client, get(peer.uri("/quick")), BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        HttpFailureException reset = failureOf(sending, client, get(peer.uri("/reset")));

        assertKind(reset, FailureKind.CONNECTION_RESET, Outcome.MAYBE_PROCESSED, 1);
        Throwable slowFailure = org.assertj.core.api.Assertions.catchThrowable(
                () -> slow.get(10, TimeUnit.SECONDS)).getCause();
        assertThat(slowFailure).isInstanceOf(HttpFailureException.class);
        assertKind((HttpFailureException) slowFailure, FailureKind.CONNECTION_RESET, Outcome.MAYBE_PROCESSED, 1);
        assertThat(client.currentGeneration()).as("no rotation").isEqualTo(1);
        assertThat(peer.connectionCount()).isEqualTo(1);
    }
}
