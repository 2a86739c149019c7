package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.RecordedRequest;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.CookieHandler;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * User code that blocks holds up its own call and no other. Whatever thread a client lends to user code (a body
 * subscriber's {@code onNext}, a body handler's {@code apply}, a request body's {@code InputStream.read}, a
 * continuation of a {@code sendAsync} future), blocking it must not stall the thread that serves the client's other
 * connections: a client that ran user code on its selector thread would stop every call while one callback waits.
 *
 * <p>Each test: a client with default settings, one call whose user code blocks (until the test releases it, for
 * at most {@link #BLOCK_CAP}); while it blocks (the user code says so through a latch), {@link #OTHER_CALLS} other
 * calls on the same client complete, each within {@link #EACH_CALL}; then the test releases the blocked call and it
 * completes too. The blocked call and the others go through {@code send} and {@code sendAsync}.
 */
class BlockingUserCodeTest {
    /** The longest blocked user code waits for the test: a client it stalls recovers after this, and the test ends. */
    private static final Duration BLOCK_CAP = Duration.ofSeconds(10);
    private static final int OTHER_CALLS = 20;
    /** A call on loopback takes milliseconds; three seconds is generous even on a loaded machine. */
    private static final Duration EACH_CALL = Duration.ofSeconds(3);
    /** All the other calls, one after the other: well inside {@link #BLOCK_CAP}, so they ran while the code blocked. */
    private static final Duration ALL_CALLS = Duration.ofSeconds(6);
    /** For what is no measure of the client: a blocked call ending once released, threads ending. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private ScriptedHttpServer server;
    private ResilientHttpClient client;
    private Blocker blocker;
    /** Threads that make the test's blocking {@code send} calls, and its {@code sendAsync} ones when they might block. */
    private ExecutorService callers;
    /** What the other calls took, for the test's output: the bounds above are judged against it. */
    private String othersTook = "(not run)";

    static Stream<Arguments> blockedAndOthers() {
        return Stream.of(Sending.values())
                .flatMap(blocked -> Stream.of(Sending.values()).map(others -> Arguments.of(blocked, others)));
    }

    @BeforeEach
    void start() {
        server = ScriptedHttpServer.start();
        client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)").build();
        blocker = new Blocker(BLOCK_CAP);
        AtomicInteger count = new AtomicInteger();
        callers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "blocking-test-caller-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @AfterEach
    void releaseAndClose(TestInfo test) throws InterruptedException {
        System.out.println("BLOCKING-USER-CODE " + test.getTestMethod().map(m -> m.getName()).orElse("?") + " "
                + test.getDisplayName() + ": the user code blocked on " + blocker.thread() + "; " + othersTook);
        blocker.release();
        callers.shutdownNow();
        boolean ended = callers.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        client.close();
        server.close();
        assertThat(ended).as("the test's caller threads ended").isTrue();
    }

    @ParameterizedTest(name = "blocked call by {0}, others by {1}")
    @MethodSource("blockedAndOthers")
    void aBodySubscriberBlockedInOnNextHoldsUpOnlyItsOwnCall(Sending blockedBy, Sending othersBy) throws Exception {
        BodyHandler<String> blocking = info -> blocker.inOnNext(BodySubscribers.ofString(StandardCharsets.UTF_8));

        Future<HttpResponse<String>> blocked = start(blockedBy, get("/blocked"), blocking);

        othersCompleteWhileBlocked(othersBy);
        blocker.release();
        assertThat(blocked.get(BOUND.toMillis(), TimeUnit.MILLISECONDS).body()).isEqualTo("ok");
    }

    @ParameterizedTest(name = "blocked call by {0}, others by {1}")
    @MethodSource("blockedAndOthers")
    void aRequestBodyStreamBlockedInReadHoldsUpOnlyItsOwnCall(Sending blockedBy, Sending othersBy) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(server.uri("/blocked"))
                .POST(BodyPublishers.ofInputStream(() -> blocker.inRead("payload"))).build();

        Future<HttpResponse<String>> blocked = start(blockedBy, post, BodyHandlers.ofString());

        othersCompleteWhileBlocked(othersBy);
        blocker.release();
        assertThat(blocked.get(BOUND.toMillis(), TimeUnit.MILLISECONDS).body()).isEqualTo("ok");
        assertThat(server.requests()).filteredOn(request -> request.method().equals("POST"))
                .extracting(RecordedRequest::bodyAsString).containsExactly("payload");
    }

    /**
     * A dependent stage that is not {@code ...Async} runs on the thread that completes the call's future, so that
     * thread is what it blocks. The server holds the response back until the stage is attached: a future already
     * complete would run the stage on the test's own thread.
     *
     * <p>The JDK completes every {@code sendAsync} future on {@code CompletableFuture}'s default pool, whatever the
     * client's executor: on JDK 17 with two CPUs a new thread per task, on JDK 25 the common pool, whose parallelism
     * is then 1. There a blocked continuation stalls every other {@code sendAsync} of the JVM, so this test fails on
     * JDK 25 until the client completes its futures on its own workers (issue 16).
     */
    @ParameterizedTest(name = "blocked call by SEND_ASYNC, others by {0}")
    @EnumSource(Sending.class)
    void aSendAsyncContinuationBlockedOnTheCompletingThreadHoldsUpOnlyItsOwnCall(Sending othersBy) throws Exception {
        CountDownLatch attached = new CountDownLatch(1);
        server.enqueue(Behaviour.heldUntil(attached, BOUND, Behaviour.ok()));

        CompletableFuture<String> blocked = client.sendAsync(get("/blocked"), BodyHandlers.ofString())
                .thenApply(response -> {
                    blocker.block();
                    return response.body();
                });
        attached.countDown();

        othersCompleteWhileBlocked(othersBy);
        blocker.release();
        assertThat(blocked.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("ok");
    }

    @ParameterizedTest(name = "blocked call by {0}, others by {1}")
    @MethodSource("blockedAndOthers")
    void aBodyHandlerBlockedInApplyHoldsUpOnlyItsOwnCall(Sending blockedBy, Sending othersBy) throws Exception {
        BodyHandler<String> blocking = info -> {
            blocker.block();
            return BodySubscribers.ofString(StandardCharsets.UTF_8);
        };

        Future<HttpResponse<String>> blocked = start(blockedBy, get("/blocked"), blocking);

        othersCompleteWhileBlocked(othersBy);
        blocker.release();
        assertThat(blocked.get(BOUND.toMillis(), TimeUnit.MILLISECONDS).body()).isEqualTo("ok");
    }

    /**
     * The JDK calls a client's cookie handler while it reads each response, on the thread that read it: the
     * selector thread, were the client's executor to run the JDK's tasks there. A JDK client given a hook of the
     * user's therefore runs nothing inline.
     */
    @ParameterizedTest(name = "blocked call by {0}, others by {1}")
    @MethodSource("blockedAndOthers")
    void aCookieHandlerBlockedWhileTheJdkReadsAResponseHoldsUpOnlyItsOwnCall(Sending blockedBy, Sending othersBy)
            throws Exception {
        client.close();
        client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                .jdkClient(jdk -> jdk.cookieHandler(new CookieHandler() {
                    @Override
                    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
                        return Map.of();
                    }

                    @Override
                    public void put(URI uri, Map<String, List<String>> headers) {
                        if (uri.getPath().equals("/blocked")) {
                            blocker.block();
                        }
                    }
                })).build();

        Future<HttpResponse<String>> blocked = start(blockedBy, get("/blocked"), BodyHandlers.ofString());

        othersCompleteWhileBlocked(othersBy);
        blocker.release();
        assertThat(blocked.get(BOUND.toMillis(), TimeUnit.MILLISECONDS).body()).isEqualTo("ok");
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(server.uri(path)).build();
    }

    /**
     * Starts the call whose user code blocks: {@code send} on a caller thread of the test's; {@code sendAsync} there
     * too, and it must return to that caller at once, whatever its user code does.
     */
    private Future<HttpResponse<String>> start(Sending by, HttpRequest request, BodyHandler<String> handler)
            throws Exception {
        if (by == Sending.SEND) {
            return callers.submit(() -> client.send(request, handler));
        }
        Future<CompletableFuture<HttpResponse<String>>> issued = callers.submit(() -> client.sendAsync(request, handler));
        try {
            return issued.get(EACH_CALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("sendAsync did not return to its caller within " + EACH_CALL
                    + ": it ran user code that blocks (on " + blocker.thread() + ")", e);
        }
    }

    /**
     * Waits until the user code blocks, then makes the other calls one after the other and checks that each ended
     * in time and that the user code still blocks after the last.
     */
    private void othersCompleteWhileBlocked(Sending by) throws Exception {
        blocker.awaitBlocking(BOUND);
        List<Long> tookMillis = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 1; i <= OTHER_CALLS; i++) {
            long callStart = System.nanoTime();
            HttpResponse<String> response = within(EACH_CALL, by, get("/other-" + i),
                    "other call " + i + " of " + OTHER_CALLS);
            tookMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callStart));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
        }
        Duration all = Duration.ofNanos(System.nanoTime() - start);
        othersTook = OTHER_CALLS + " other calls took " + all.toMillis() + " ms, the longest "
                + tookMillis.stream().mapToLong(Long::longValue).max().orElse(0) + " ms";

        assertThat(all).as("the %d other calls together (each took, in ms: %s)", OTHER_CALLS, tookMillis)
                .isLessThan(ALL_CALLS);
        assertThat(blocker.blocking())
                .as("the user code, blocked on %s, still blocks after the other calls (it outlived its cap of %s: %s)",
                        blocker.thread(), BLOCK_CAP, blocker.outlivedCap())
                .isTrue();
    }

    private HttpResponse<String> within(Duration bound, Sending by, HttpRequest request, String what)
            throws Exception {
        Future<HttpResponse<String>> call = by == Sending.SEND
                ? callers.submit(() -> client.send(request, BodyHandlers.ofString()))
                : client.sendAsync(request, BodyHandlers.ofString());
        try {
            return call.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new AssertionError(what + " (" + by + ") did not complete within " + bound
                    + " while user code of another call blocked on " + blocker.thread(), e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " (" + by + ") failed while user code of another call blocked on "
                    + blocker.thread(), e.getCause());
        }
    }
}
