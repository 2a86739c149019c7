package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * After {@code close()} a client leaves nothing behind: no connection the server still holds open, no JDK client
 * thread. On JDK 21+ the generations are shut down; on 17 the JDK frees a dropped client once it is unreachable,
 * so the test lets the garbage collector run while it polls.
 */
class CloseTest {

    private static Set<String> jdkClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("HttpClient-")).collect(Collectors.toSet());
    }

    @Test
    void closingLeavesNoOpenConnectionAndNoJdkClientThread() throws Exception {
        Set<String> before = jdkClientThreads();
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            ResilientHttpClient client = ResilientHttpClient.builder()
                    .userAgent("core-tests/1.0 (ops@example.org)").preferHttp1().build();
            for (int i = 0; i < 3; i++) {
                client.send(HttpRequest.newBuilder(server.uri("/sync")).build(), BodyHandlers.ofString());
                client.sendAsync(HttpRequest.newBuilder(server.uri("/async")).build(), BodyHandlers.ofString()).join();
            }
            assertThat(server.openConnections()).isPositive();

            client.close();
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/late")).build(),
                    BodyHandlers.ofString())).isInstanceOf(ClientClosedException.class).hasMessageContaining("closed");
            assertThat(client.aliveGenerations()).isZero();

            Await.until("the server sees every connection closed", Duration.ofSeconds(30),
                    () -> {
                    System.gc();
                    return server.openConnections() == 0;
                });
        }
        Await.until("no JDK client thread is left", Duration.ofSeconds(30),
                () -> {
                    System.gc();
                    return before.containsAll(jdkClientThreads());
                });
    }

    @Test
    void closingTwiceIsHarmless() {
        ResilientHttpClient client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)").build();
        client.close();
        client.close();
        assertThat(client.aliveGenerations()).isZero();
    }
}
