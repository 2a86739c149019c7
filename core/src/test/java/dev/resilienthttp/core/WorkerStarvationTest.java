package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More calls block in the caller's code at once than the client has worker threads ({@code Defaults.WORKER_THREADS},
 * 64), each waiting for something that itself needs a worker: the pool adds spare threads and every call completes.
 * With a hard bound and no spare, these deadlocked for good, and every later {@code sendAsync} of the client with
 * them; the raw JDK client, whose default pool has no bound, completes them.
 */
class WorkerStarvationTest {
    private static final int CALLS = Defaults.WORKER_THREADS + 1;
    /** Generous: the spares start one per 200 ms at worst, and once one call ends the rest follow. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.ok(), 1_000);
    private final ResilientHttpClient client = ResilientHttpClient.builder()
            .userAgent("core-tests/1.0 (ops@example.org)").preferHttp1().build();
    /** Worker threads of other clients alive when the test began: the client's own are those not among them. */
    private final Set<Thread> othersWorkers = workerThreads();

    @AfterEach
    void close() throws InterruptedException {
        client.close();
        server.close();
        Await.until("the client's worker threads to end", BOUND,
                () -> othersWorkers.containsAll(workerThreads()));
    }

    @Test
    void moreBodyMappersBlockedReadingTheirStreamsThanWorkerThreadsAllComplete() throws Exception {
        BodyHandler<String> mapped = info -> BodySubscribers.mapping(BodySubscribers.ofInputStream(),
                WorkerStarvationTest::readAll);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            // The headers at once, so that every mapper blocks in its read; the bytes after it, as tasks queued behind.
            server.enqueue(Behaviour.trickle(2, Duration.ofMillis(300)));
            calls.add(client.sendAsync(HttpRequest.newBuilder(server.uri("/mapped")).build(), mapped));
        }

        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);

        assertThat(calls).allSatisfy(call -> assertThat(call.join().body()).isEqualTo("xx"));
        assertThat(client.sendAsync(HttpRequest.newBuilder(server.uri("/after")).build(), BodyHandlers.ofString())
                .get(BOUND.toSeconds(), TimeUnit.SECONDS).body()).as("a call after them").isEqualTo("ok");
    }

    /**
     * Where the JDK ends an attempt on the JVM's common pool (JDK 25, or 17 with three CPUs or more), the caller's
     * stages run on the client's workers; each stage here joins another call, whose end needs a worker too. The server
     * holds every answer until all the calls of a round have reached it, so that all the stages block at once.
     */
    @Test
    void moreContinuationsJoiningAnotherCallThanWorkerThreadsAllComplete() throws Exception {
        CountDownLatch outerAnswers = new CountDownLatch(1);
        CountDownLatch innerAnswers = new CountDownLatch(1);
        try {
            for (int i = 0; i < CALLS; i++) {
                server.enqueue(Behaviour.heldUntil(outerAnswers, BOUND, Behaviour.ok()));
            }
            for (int i = 0; i < CALLS; i++) {
                server.enqueue(Behaviour.heldUntil(innerAnswers, BOUND, Behaviour.ok()));
            }
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                calls.add(client.sendAsync(HttpRequest.newBuilder(server.uri("/outer")).build(),
                        BodyHandlers.ofString()).thenApply(outer -> outer.body() + "+" + client.sendAsync(
                                HttpRequest.newBuilder(server.uri("/inner")).build(), BodyHandlers.ofString())
                        .join().body()));
            }
            server.awaitRequests(CALLS, BOUND);
            outerAnswers.countDown();
            assertThat(server.awaitRequests(2 * CALLS, BOUND)).as("every stage sent its inner call").hasSize(2 * CALLS);
            innerAnswers.countDown();

            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);

            assertThat(calls).allSatisfy(call -> assertThat(call.join()).isEqualTo("ok+ok"));
        } finally {
            outerAnswers.countDown();
            innerAnswers.countDown();
        }
    }

    private static String readAll(InputStream stream) {
        try (InputStream in = stream) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("resilient-http-worker-")).collect(Collectors.toSet());
    }
}
