package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The caller's bodies that the client runs on its worker threads behave as they do on the JDK's: a mapped stream is
 * read as it arrives, and a request body that throws fails its call at once, with what it threw. Every deadline is
 * set far beyond the bounds asserted, so that a call that waits for one fails the test.
 */
class OffloadedBodiesTest {
    private static final Duration FAR = Duration.ofSeconds(60);
    /** Loopback calls take milliseconds; waiting for a deadline would take {@link #FAR}. */
    private static final long QUICK_MILLIS = 10_000;
    private static final String BODY = "x".repeat(100_000);

    private final ScriptedHttpServer server = ScriptedHttpServer.start(
            Behaviour.respond(200, Map.of("Content-Type", "text/plain"), BODY));
    private final ResilientHttpClient client = ResilientHttpClient.builder().userAgent("offload-test/1 (a@example.org)")
            .requestTimeout(FAR).readIdleTimeout(FAR).build();

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aStreamMappedByABlockingReaderIsReadAsItArrives(Sending sending) throws Exception {
        BodyHandler<String> mapped = info -> BodySubscribers.mapping(BodySubscribers.ofInputStream(),
                OffloadedBodiesTest::readAll);
        long started = System.nanoTime();

        String body = sending.call(client, HttpRequest.newBuilder(server.uri("/mapped")).build(), mapped).body();

        assertThat(body).isEqualTo(BODY);
        assertThat(millisSince(started)).as("no deadline was waited for").isLessThan(QUICK_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aRequestBodyWithAnEmptyPartReachesTheServerWhole(Sending sending) throws Exception {
        // JDK 17 sends an empty part of a chunked body as the body's last chunk.
        HttpRequest post = HttpRequest.newBuilder(server.uri("/parts"))
                .POST(BodyPublishers.fromPublisher(parts("abc", "", "def"))).build();

        assertThat(sending.call(client, post, info -> BodySubscribers.discarding()).statusCode()).isEqualTo(200);

        assertThat(new String(server.awaitRequests(1, FAR).get(0).body(), StandardCharsets.UTF_8)).isEqualTo("abcdef");
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aRequestBodyWhoseStreamCannotBeOpenedFailsTheCallAtOnce(Sending sending) {
        HttpRequest post = HttpRequest.newBuilder(server.uri("/post")).POST(BodyPublishers.ofInputStream(() -> {
            throw new UncheckedIOException(new IOException("the upload's file is gone"));
        })).build();
        long started = System.nanoTime();

        assertThatThrownBy(() -> sending.call(client, post, info -> BodySubscribers.ofString(StandardCharsets.UTF_8)))
                .hasStackTraceContaining("the upload's file is gone");
        assertThat(millisSince(started)).as("no deadline was waited for").isLessThan(QUICK_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aRequestBodyThatThrowsWhenAskedForMoreFailsTheCallAtOnce(Sending sending) {
        Flow.Publisher<ByteBuffer> throwing = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                throw new IllegalStateException("the body's source broke");
            }

            @Override
            public void cancel() {
            }
        });
        HttpRequest post = HttpRequest.newBuilder(server.uri("/post"))
                .POST(BodyPublishers.fromPublisher(throwing, 10)).build();
        long started = System.nanoTime();

        assertThatThrownBy(() -> sending.call(client, post, info -> BodySubscribers.ofString(StandardCharsets.UTF_8)))
                .hasStackTraceContaining("the body's source broke");
        assertThat(millisSince(started)).as("no deadline was waited for").isLessThan(QUICK_MILLIS);
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A publisher of {@code parts} in order, as they are asked for, empty ones included. */
    private static Flow.Publisher<ByteBuffer> parts(String... parts) {
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private int next;
            private boolean done;

            @Override
            public synchronized void request(long n) {
                for (long i = 0; i < n && next < parts.length; i++) {
                    subscriber.onNext(ByteBuffer.wrap(parts[next++].getBytes(StandardCharsets.UTF_8)));
                }
                if (next == parts.length && !done) {
                    done = true;
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                next = parts.length;
            }
        });
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
