package dev.resilienthttp.core.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/** Which bodies may run on the JDK's selector thread: the JDK's own that call no code of the caller's. */
class JdkBodiesTest {

    @Test
    void theJdksOwnHandlersMayRunOnItsThread(@TempDir Path dir) {
        List<BodyHandler<?>> handlers = List.of(BodyHandlers.ofString(), BodyHandlers.ofString(StandardCharsets.UTF_16),
                BodyHandlers.ofByteArray(), BodyHandlers.discarding(), BodyHandlers.replacing("x"),
                BodyHandlers.ofInputStream(), BodyHandlers.ofLines(), BodyHandlers.ofFile(dir.resolve("body")));

        assertThat(handlers).allMatch(JdkBodies::safe);
    }

    @Test
    void handlersThatRunTheCallersCodeDoNot() {
        Flow.Subscriber<List<ByteBuffer>> subscriber = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        };
        BodyHandler<String> own = info -> BodySubscribers.ofString(StandardCharsets.UTF_8);
        List<BodyHandler<?>> handlers = List.of(own,
                BodyHandlers.fromSubscriber(subscriber), BodyHandlers.ofByteArrayConsumer(bytes -> { }),
                BodyHandlers.ofPublisher(), BodyHandlers.buffering(BodyHandlers.ofString(), 1024),
                BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                    }

                    @Override
                    public void onNext(String item) {
                    }

                    @Override
                    public void onError(Throwable throwable) {
                    }

                    @Override
                    public void onComplete() {
                    }
                }));

        assertThat(handlers).noneMatch(JdkBodies::safe);
    }

    @Test
    void inMemoryAndFileRequestBodiesMayBePulledOnTheJdksThreadButStreamsAndIterablesMayNot(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("body"), "x");

        assertThat(List.of(BodyPublishers.noBody(), BodyPublishers.ofString("x"), BodyPublishers.ofByteArray(new byte[1]),
                BodyPublishers.ofByteArray(new byte[4], 1, 2), BodyPublishers.ofFile(file))).allMatch(JdkBodies::safe);
        assertThat(List.of(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[1])),
                BodyPublishers.ofByteArrays(List.of(new byte[1])),
                BodyPublishers.fromPublisher(BodyPublishers.ofString("x")))).noneMatch(JdkBodies::safe);
    }
}
