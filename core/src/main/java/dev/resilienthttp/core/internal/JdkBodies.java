package dev.resilienthttp.core.internal;

import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The JDK's body handlers and request bodies that never block and call none of the caller's code: they may run on
 * the JDK's selector thread. Known by class (a factory's lambda has one class for every instance it makes). Any
 * other handler or body is the caller's code, or wraps it ({@code fromSubscriber}, {@code ofByteArrayConsumer},
 * {@code ofPublisher}, {@code buffering}, {@code ofInputStream} as a request body, {@code ofByteArrays}), and runs on
 * the client's worker threads instead.
 */
public final class JdkBodies {
    private static final Set<Class<?>> HANDLERS = Set.copyOf(List.of(
            BodyHandlers.ofString().getClass(),
            BodyHandlers.ofString(StandardCharsets.UTF_8).getClass(),
            BodyHandlers.ofByteArray().getClass(),
            BodyHandlers.discarding().getClass(),
            BodyHandlers.replacing(null).getClass(),
            // The stream is read by the caller on its own thread; the JDK's side only queues buffers.
            BodyHandlers.ofInputStream().getClass(),
            BodyHandlers.ofLines().getClass(),
            BodyHandlers.ofFile(Path.of("unused")).getClass()));

    /** Names, not classes: {@code ofFile} cannot be made without a file; several factories share a class. */
    private static final Set<String> PUBLISHERS = Set.copyOf(List.of(
            BodyPublishers.noBody().getClass().getName(),
            BodyPublishers.ofByteArray(new byte[0]).getClass().getName(),
            BodyPublishers.ofByteArray(new byte[0], 0, 0).getClass().getName(),
            BodyPublishers.ofString("").getClass().getName(),
            // BodyPublishers.ofFile needs a file that exists to be made; it reads the file as the JDK asks.
            "jdk.internal.net.http.RequestPublishers$FilePublisher"));

    private JdkBodies() {
    }

    /** Whether the JDK may run {@code handler} and its subscriber on its selector thread. */
    public static boolean safe(BodyHandler<?> handler) {
        return HANDLERS.contains(handler.getClass());
    }

    /** Whether the JDK may pull {@code body} on its selector thread. */
    public static boolean safe(BodyPublisher body) {
        return PUBLISHERS.contains(body.getClass().getName());
    }
}
