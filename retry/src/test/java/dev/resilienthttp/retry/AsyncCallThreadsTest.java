package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.internal.JdkExecutor;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where a {@code sendAsync} call's steps run when a thread of the JDK's or of the library's sets them off: the JDK
 * ending an attempt (on JDK 25 on the JVM's common pool), the retry timer ending a wait, the deadline watchdog
 * cancelling an attempt. Each step tells the listeners and runs the policy, and a listener may block: none of it
 * may run on a thread that every call shares, or one slow listener stalls every call of the JVM.
 */
class AsyncCallThreadsTest {
    private WireMockOrigin origin;

    @BeforeEach
    void startOrigin() {
        origin = WireMockOrigin.start();
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    /**
     * {@code path} answers each of {@code first} in turn (a status, a 429 with {@code Retry-After: 1}, or -1 for a
     * 200 after 3 s), then 200.
     */
    private void answersInTurn(String path, int... first) {
        String scenario = "turns " + path;
        for (int i = 0; i < first.length; i++) {
            var answer = first[i] < 0 ? aResponse().withStatus(200).withFixedDelay(3_000)
                    : first[i] == 429 ? aResponse().withStatus(429).withHeader("Retry-After", "1")
                    : aResponse().withStatus(first[i]);
            origin.server().stubFor(get(path).inScenario(scenario).whenScenarioStateIs(i == 0 ? STARTED : "after " + i)
                    .willReturn(answer).willSetStateTo("after " + (i + 1)));
        }
        origin.server().stubFor(get(path).inScenario(scenario).whenScenarioStateIs("after " + first.length)
                .willReturn(aResponse().withStatus(200).withBody("done")));
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(origin.uri(path)).GET().build();
    }

    /** A request to {@code /late}, whose first answer comes after 3 s: its 1 s timeout ends that attempt. */
    private HttpRequest late() {
        return HttpRequest.newBuilder(origin.uri("/late")).timeout(Duration.ofSeconds(1)).GET().build();
    }

    @Test
    void everyEventOfAnAsyncCallThatWaitsOrTimesOutRunsOnAThreadThatMayBlock() throws Exception {
        answersInTurn("/retried", 503, 429, 503);   // three waits on the retry timer, a Retry-After among them
        answersInTurn("/late", -1);                  // headers after 3 s: the watchdog cancels the first attempt at 1 s
        ThreadsHeard heard = new ThreadsHeard();
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(50))
                .protectionListener(heard).build();

        try (ResilientHttpClient client = Clients.resilient(policy).listener(heard).build()) {
            CompletableFuture<HttpResponse<String>> retried = client.sendAsync(request("/retried"),
                    BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> late = client.sendAsync(late(), BodyHandlers.ofString());
            List<String> continuedOn = new ArrayList<>();
            HttpResponse<String> response = retried.thenApply(r -> {
                continuedOn.add(threadIfShared());
                return r;
            }).get(20, TimeUnit.SECONDS);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(late.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(continuedOn).containsExactly("");
        }
        assertThat(heard.events).as("events heard").contains("attemptStarted 4 /retried", "attemptFailed 1 /late "
                + FailureKind.REQUEST_TIMEOUT, "callSucceeded 2 /late", "hostHeld");
        assertThat(heard.onSharedThreads).as("events heard on a thread every call shares").isEmpty();
    }

    @Test
    void aListenerThatBlocksInAStepTheRetryTimerStartedHoldsUpOnlyItsOwnCall() throws Exception {
        answersInTurn("/blocked", 503);
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpEventListener blocksOnItsSecondAttempt = new HttpEventListener() {
            @Override
            public void attemptStarted(HttpRequest request, int attempt) {
                if (attempt == 2 && request.uri().getPath().equals("/blocked")) {
                    blocking.countDown();
                    awaitQuietly(release);
                }
            }
        };
        int others = 5;
        for (int i = 0; i < others; i++) {
            answersInTurn("/other-" + i, 503);
        }

        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff())
                .listener(blocksOnItsSecondAttempt).build()) {
            CompletableFuture<HttpResponse<String>> blocked = client.sendAsync(request("/blocked"),
                    BodyHandlers.ofString());
            try {
                assertThat(blocking.await(20, TimeUnit.SECONDS)).as("the second attempt started").isTrue();
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < others; i++) {
                    calls.add(client.sendAsync(request("/other-" + i), BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> call : calls) {
                    // Each needs the retry timer to end its wait: before, the blocked listener held that thread.
                    assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                }
                assertThat(blocked).as("the blocked call waits for its listener").isNotDone();
            } finally {
                release.countDown();
            }
            assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aListenerThatBlocksAfterADeadlineCancelHoldsUpOnlyItsOwnCall() throws Exception {
        answersInTurn("/late", -1);
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpEventListener blocksOnTheTimeout = new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                if (kind == FailureKind.REQUEST_TIMEOUT) {
                    blocking.countDown();
                    awaitQuietly(release);
                }
            }
        };
        origin.server().stubFor(get("/fast").willReturn(aResponse().withStatus(200).withBody("fast")));

        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).listener(blocksOnTheTimeout)
                .build()) {
            CompletableFuture<HttpResponse<String>> late = client.sendAsync(late(), BodyHandlers.ofString());
            try {
                assertThat(blocking.await(20, TimeUnit.SECONDS)).as("the first attempt timed out").isTrue();
                for (int i = 0; i < 20; i++) {
                    // Each completes through the JDK's async pool: before, the cancel's stages held it on JDK 25.
                    assertThat(client.sendAsync(request("/fast"), BodyHandlers.ofString()).get(10, TimeUnit.SECONDS)
                            .body()).isEqualTo("fast");
                }
                assertThat(late).as("the cancelled call waits for its listener").isNotDone();
            } finally {
                release.countDown();
            }
            assertThat(late.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRetryAfterAWaitOnASchedulerOfTheUsersRunsOnTheClientsWorkers() throws Exception {
        answersInTurn("/retried", 503, 503);
        ThreadsHeard heard = new ThreadsHeard();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                runnable -> new Thread(runnable, "user-scheduler"));
        try {
            RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(50))
                    .scheduler(scheduler).build();
            try (ResilientHttpClient client = Clients.resilient(policy).listener(heard).build()) {
                assertThat(client.sendAsync(request("/retried"), BodyHandlers.ofString()).get(20, TimeUnit.SECONDS)
                        .statusCode()).isEqualTo(200);
            }
        } finally {
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(heard.events).contains("attemptStarted 3 /retried");
        assertThat(heard.onSharedThreads).as("events heard on the scheduler's thread, or another every call shares")
                .isEmpty();
    }

    @Test
    void withEveryWorkerBlockedInAListenerADeadlineStillClosesItsConnectionAndACancelEndsTheCallLast()
            throws Exception {
        int workers = 64;   // Defaults.WORKER_THREADS
        CountDownLatch allBlocked = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> probeEvents = new ConcurrentLinkedQueue<>();
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void attemptStarted(HttpRequest request, int attempt) {
                if (request.uri().getPath().equals("/probe")) {
                    probeEvents.add("attemptStarted " + attempt);
                }
            }

            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                if (request.uri().getPath().equals("/probe")) {
                    probeEvents.add("attemptFailed " + attempt + " " + kind);
                } else {
                    allBlocked.countDown();
                    awaitQuietly(release);
                }
            }

            @Override
            public void callEnded(HttpRequest request, int attempts, Throwable cause) {
                if (request.uri().getPath().equals("/probe")) {
                    probeEvents.add("callEnded " + cause.getClass().getSimpleName());
                }
            }

            @Override
            public void callFailed(HttpRequest request, FailureReport report) {
                if (request.uri().getPath().equals("/probe")) {
                    probeEvents.add("callFailed " + report.kind());
                }
            }
        };
        try (SilentOrigin silent = SilentOrigin.start(workers + 1);
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(Clients.USER_AGENT).preferHttp1()
                     .requestTimeout(Duration.ofMillis(300)).listener(listener).build()) {
            List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
            try {
                for (int i = 0; i < workers; i++) {
                    blocked.add(client.sendAsync(silent.request("/blocked-" + i), BodyHandlers.ofString()));
                }
                assertThat(allBlocked.await(30, TimeUnit.SECONDS)).as("every worker blocked in a listener").isTrue();
                for (int i = 0; i < workers; i++) {
                    assertThat(silent.closedConnections().poll(10, TimeUnit.SECONDS))
                            .as("the blocked calls' connections closed at their deadlines").isNotNull();
                }

                CompletableFuture<HttpResponse<String>> probe = client.sendAsync(silent.request("/probe"),
                        BodyHandlers.ofString());
                // Its 300 ms deadline passes while no worker is free: the cancel is the JDK's work, not a step.
                assertThat(silent.closedConnections().poll(10, TimeUnit.SECONDS))
                        .as("the probe's connection closed at its deadline").isNotNull();
                // Its step waits for a worker (unless the JDK completed the exchange on a thread of its own made for
                // it, JDK 17 with fewer than three CPUs, and the step runs there): the caller cancels meanwhile.
                boolean cancelled = probe.cancel(true);
                release.countDown();
                for (CompletableFuture<HttpResponse<String>> call : blocked) {
                    assertThat(catchThrowable(() -> call.get(30, TimeUnit.SECONDS)))
                            .hasCauseInstanceOf(HttpFailureException.class);
                }
                List<String> events = new ArrayList<>(probeEvents);
                assertThat(events).as("one end of the call, and nothing of it after").hasSizeBetween(2, 3)
                        .startsWith("attemptStarted 1");
                assertThat(events.subList(1, events.size() - 1)).isSubsetOf("attemptFailed 1 REQUEST_TIMEOUT");
                // The listener hears a call's failure before the caller's future completes with it: where the step ran
                // at once (the JDK's own thread), a cancel in between wins the future, and the failure was the end.
                assertThat(events.get(events.size() - 1)).as("the end").isIn("callEnded CancellationException",
                        "callFailed REQUEST_TIMEOUT");
                if (!cancelled) {
                    assertThat(events.get(events.size() - 1)).isEqualTo("callFailed REQUEST_TIMEOUT");
                }
            } finally {
                release.countDown();
            }
        }
    }

    /**
     * A transport failure is reported as what it was however late its step runs: the attempt's deadline ends where the
     * JDK ends the exchange, so a deadline that passes while the step waits for a worker is no timeout. With every
     * worker blocked the step waits for a spare thread, which the pool starts once its queue has not moved for
     * 200 ms: the deadline, 150 ms, passes first. (Where the JDK ends each exchange on a thread of its own made for it,
     * JDK 17 with fewer than three CPUs, the step runs there at once, and this shows nothing.)
     */
    @Test
    void aResetWhoseStepWaitsForAWorkerPastTheDeadlineIsReportedAsAResetNotATimeout() throws Exception {
        int workers = 64;   // Defaults.WORKER_THREADS
        Duration deadline = Duration.ofMillis(150);
        CountDownLatch allBlocked = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                if (!request.uri().getPath().equals("/reset")) {
                    allBlocked.countDown();
                    awaitQuietly(release);
                }
            }
        };
        try (SilentOrigin silent = SilentOrigin.start(workers + 2);
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(Clients.USER_AGENT).preferHttp1()
                     .requestTimeout(deadline).listener(listener).build()) {
            List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
            try {
                for (int i = 0; i < workers; i++) {
                    blocked.add(client.sendAsync(silent.request("/blocked-" + i), BodyHandlers.ofString()));
                }
                assertThat(allBlocked.await(30, TimeUnit.SECONDS)).as("every worker blocked in a listener").isTrue();

                long sentAt = System.nanoTime();
                CompletableFuture<HttpResponse<String>> probe = client.sendAsync(silent.request("/reset"),
                        BodyHandlers.ofString());
                Long resetAt = silent.resets().poll(10, TimeUnit.SECONDS);
                assertThat(resetAt).as("the origin reset the probe's connection").isNotNull();
                assumeTrue(resetAt - sentAt < deadline.toNanos() / 2, "the scenario needs the reset well before the "
                        + "deadline; this machine took " + (resetAt - sentAt) / 1_000_000 + " ms");
                // The scenario: the probe's deadline passes while its step waits for a worker.
                Await.until("three times the probe's deadline passed since the reset", Duration.ofSeconds(10),
                        () -> System.nanoTime() - resetAt > 3 * deadline.toNanos());
                release.countDown();

                Throwable failure = catchThrowable(() -> probe.get(30, TimeUnit.SECONDS));
                assertThat(failure).hasCauseInstanceOf(HttpFailureException.class);
                assertThat(((HttpFailureException) failure.getCause()).kind()).as("what ended the attempt")
                        .isEqualTo(FailureKind.CONNECTION_RESET);
                for (CompletableFuture<HttpResponse<String>> call : blocked) {
                    assertThat(catchThrowable(() -> call.get(30, TimeUnit.SECONDS)))
                            .hasCauseInstanceOf(HttpFailureException.class);
                }
            } finally {
                release.countDown();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);   // bounded: a failing test still ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The current thread's name if it is one every call shares, else the empty string: by the library's own test
     * ({@link JdkExecutor#mustNotBlock}) and, apart from it, by the names of those threads.
     */
    private static String threadIfShared() {
        String name = Thread.currentThread().getName();
        boolean shared = name.startsWith("ForkJoinPool.commonPool") || name.startsWith("resilient-http-retry-timer")
                || name.startsWith("resilient-http-deadlines") || name.startsWith("resilient-http-jdk-")
                || name.startsWith("HttpClient-") || name.startsWith("user-scheduler");
        return shared || JdkExecutor.mustNotBlock() ? name : "";
    }

    /** Records every event of both listeners, and which of them came on a thread every call shares. */
    private static final class ThreadsHeard implements HttpEventListener, ProtectionListener {
        final Queue<String> events = new ConcurrentLinkedQueue<>();
        final Queue<String> onSharedThreads = new ConcurrentLinkedQueue<>();

        private void heard(String event) {
            events.add(event);
            String shared = threadIfShared();
            if (!shared.isEmpty()) {
                onSharedThreads.add(event + " on " + shared);
            }
        }

        @Override
        public void callStarted(HttpRequest request) {
            heard("callStarted " + request.uri().getPath());
        }

        @Override
        public void attemptStarted(HttpRequest request, int attempt) {
            heard("attemptStarted " + attempt + " " + request.uri().getPath());
        }

        @Override
        public void attemptSucceeded(HttpRequest request, int attempt, HttpResponse<?> response) {
            heard("attemptSucceeded " + attempt + " " + request.uri().getPath());
        }

        @Override
        public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                  Throwable cause) {
            heard("attemptFailed " + attempt + " " + request.uri().getPath() + " " + kind);
        }

        @Override
        public void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
            heard("callSucceeded " + attempts + " " + request.uri().getPath());
        }

        @Override
        public void hostHeld(String host, Duration wait) {
            heard("hostHeld");
        }

        @Override
        public void circuitStateChanged(String host, CircuitState from, CircuitState to) {
            heard("circuitStateChanged " + to);
        }
    }

    /**
     * A loopback server that accepts up to {@code max} connections, reads and never answers, and tells when each
     * connection is closed by the client; a request for {@code /reset} it resets at once (RST) and tells when. Every
     * thread it starts ends at {@link #close}.
     */
    private static final class SilentOrigin implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final BlockingQueue<Long> closed = new LinkedBlockingQueue<>();
        private final BlockingQueue<Long> resets = new LinkedBlockingQueue<>();

        private SilentOrigin(ServerSocket listener) {
            this.listener = listener;
        }

        static SilentOrigin start(int max) throws IOException {
            ServerSocket listener = new ServerSocket(0, max, InetAddress.getLoopbackAddress());
            SilentOrigin origin = new SilentOrigin(listener);
            origin.spawn("silent-accept", () -> {
                for (int i = 0; i < max; i++) {
                    Socket socket;
                    try {
                        socket = listener.accept();
                    } catch (IOException closedListener) {
                        return;
                    }
                    origin.accepted.add(socket);
                    origin.spawn("silent-read-" + i, () -> origin.readUntilClosed(socket));
                }
            });
            return origin;
        }

        private void spawn(String name, Runnable task) {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }

        private void readUntilClosed(Socket socket) {
            byte[] buffer = new byte[4096];
            try (InputStream in = socket.getInputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    // a request, which is never answered, unless it asks for a reset
                    if (new String(buffer, 0, read, StandardCharsets.ISO_8859_1).contains(" /reset ")) {
                        socket.setSoLinger(true, 0);
                        socket.close();
                        resets.add(System.nanoTime());
                        return;
                    }
                }
                closed.add(System.nanoTime());
            } catch (IOException closedHere) {
                // this server closed it
            }
        }

        HttpRequest request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.getLocalPort() + path)).GET()
                    .build();
        }

        /** When each connection asking for {@code /reset} was reset, in order. */
        BlockingQueue<Long> resets() {
            return resets;
        }

        /** When each connection the client closed was closed, in order. */
        BlockingQueue<Long> closedConnections() {
            return closed;
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : accepted) {
                socket.close();
            }
            for (Thread thread : threads) {
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
