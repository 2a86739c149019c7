package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An executor of the user's with a bounded queue rejects tasks in a burst. The JDK client takes a rejection as its
 * executor's failure and ends itself (JDK 25), or leaves calls hanging (17); so a rejected task runs on the thread that
 * handed it over, and every call of the burst, and every call after it, completes.
 */
class RejectingExecutorTest {
    private static final int BURST = 40;

    @Test
    @Timeout(60)
    void aBurstThatFillsTheUsersBoundedExecutorStillCompletesEveryCallAndTheClientLivesOn() throws Exception {
        ThreadPoolExecutor bounded = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2));
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.respond(200, Map.of(), "ok"));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("rejecting-test/1 (ops@example.org)")
                     .preferHttp1().executor(bounded).build()) {
            HttpRequest request = HttpRequest.newBuilder(server.uri("/a")).build();
            Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
            BodyHandler<String> recording = info -> {
                handlerThreads.add(Thread.currentThread().getName());
                return BodySubscribers.ofString(StandardCharsets.UTF_8);
            };
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                burst.add(client.sendAsync(request, recording));
            }

            for (CompletableFuture<HttpResponse<String>> call : burst) {
                assertThat(call.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(client.send(request, BodyHandlers.ofString()).statusCode()).as("a call after the burst")
                    .isEqualTo(200);
            assertThat(handlerThreads).as("the caller's body handler never ran on the JDK's selector thread")
                    .isNotEmpty().noneMatch(name -> name.contains("SelectorManager"));
            assertThat(bounded.getCompletedTaskCount() + bounded.getActiveCount()).as("the executor was used")
                    .isPositive();
        } finally {
            bounded.shutdownNow();
            assertThat(bounded.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
