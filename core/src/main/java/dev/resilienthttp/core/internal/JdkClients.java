package dev.resilienthttp.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;

/**
 * Releases a JDK client we no longer use. JDK 21 added {@code HttpClient.shutdown()}: an orderly stop that lets
 * requests already sent finish and frees the selector thread and pooled sockets. JDK 17 has no such method: a
 * dropped client frees them only once it is unreachable and idle (its selector thread checks about every few
 * seconds), so there we just drop it.
 */
public final class JdkClients {
    private static final MethodHandle SHUTDOWN = findShutdown();

    private JdkClients() {
    }

    /** Whether this JDK can shut a client down deterministically (21+). */
    static boolean canShutdown() {
        return SHUTDOWN != null;
    }

    /** Starts an orderly shutdown on JDK 21+; on 17 does nothing, and the client is freed when unreachable. */
    public static void shutdown(HttpClient client) {
        if (SHUTDOWN == null) {
            return;
        }
        try {
            SHUTDOWN.invoke(client);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException("HttpClient.shutdown() threw a checked exception", impossible);
        }
    }

    private static MethodHandle findShutdown() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(HttpClient.class, "shutdown", MethodType.methodType(void.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJdk21) {
            return null;
        }
    }
}
