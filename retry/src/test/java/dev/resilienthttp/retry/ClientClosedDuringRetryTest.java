package dev.resilienthttp.retry;

import dev.resilienthttp.core.ClientClosedException;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.ResilientHttpClientBuilder;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A call that is to retry when its client closes: a closed client makes no further attempt, so the call ends at once
 * with a {@link ClientClosedException} whose cause reports the attempts made, rather than when its wait runs out.
 */
class ClientClosedDuringRetryTest {
    /** A first retry no sooner than 30 s: a call that ends within {@link #PROMPTLY} was woken. */
    private static final Duration BACKOFF = Duration.ofSeconds(30);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    private WireMockOrigin origin;
    /** The policy's own timer, so that the test can see what it still holds. */
    private ScheduledThreadPoolExecutor scheduler;

    @BeforeEach
    void start() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get("/articles/7").willReturn(aResponse().withStatus(503)));
        origin.server().stubFor(get("/slow/7").willReturn(aResponse().withStatus(503).withFixedDelay(1_500)));
        scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        origin.close();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    @Timeout(60)
    void closingTheClientEndsACallWaitingToRetryAtOnceWithTheReportOfItsAttempts(Sending sending) throws Exception {
        Events events = new Events();
        ResilientHttpClient client = Clients.resilient(longBackoff()).listener(events).build();
        try (client; Caller caller = new Caller(sending, client, origin.uri("/articles/7"))) {
            assertThat(events.failed.await(10, TimeUnit.SECONDS)).as("the first attempt failed").isTrue();
            long closedAt = System.nanoTime();

            client.close();

            Throwable thrown = caller.outcome(PROMPTLY);
            assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(PROMPTLY);
            assertClosedAfterOneFailedAttempt(thrown);
        }
        origin.server().verify(1, getRequestedFor(urlEqualTo("/articles/7")));
        assertThat(events.started).hasValue(1);
        assertThat(scheduler.getQueue()).as("the wait's timer, cancelled").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    @Timeout(60)
    void anAttemptInFlightWhenTheClientClosesEndsTheCallAsItFailsWithoutWaitingToRetry(Sending sending)
            throws Exception {
        Events events = new Events();
        ResilientHttpClient client = Clients.resilient(longBackoff()).listener(events).build();
        try (client; Caller caller = new Caller(sending, client, origin.uri("/slow/7"))) {
            assertThat(events.startedOnce.await(10, TimeUnit.SECONDS)).as("the first attempt started").isTrue();

            client.close();   // the attempt in flight finishes: a 503 after 1.5 s

            Throwable thrown = caller.outcome(PROMPTLY);
            assertClosedAfterOneFailedAttempt(thrown);
        }
        origin.server().verify(1, getRequestedFor(urlEqualTo("/slow/7")));
        assertThat(events.started).hasValue(1);
        assertThat(scheduler.getQueue()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void theCallersStagesOfACallWokenByCloseDoNotRunOnTheThreadThatCloses(boolean userExecutor) throws Exception {
        Events events = new Events();
        ExecutorService executor = Executors.newCachedThreadPool();
        ResilientHttpClientBuilder builder = Clients.resilient(longBackoff()).listener(events);
        ResilientHttpClient client = (userExecutor ? builder.executor(executor) : builder).build();
        HttpRequest request = HttpRequest.newBuilder(origin.uri("/articles/7")).GET().build();
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(request, BodyHandlers.ofString());
        try {
            AtomicReference<Thread> stageThread = new AtomicReference<>();
            CompletableFuture<Void> stage = call.handle((response, error) -> {
                stageThread.set(Thread.currentThread());
                return null;
            });
            assertThat(events.failed.await(10, TimeUnit.SECONDS)).isTrue();

            client.close();

            stage.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            assertThat(stageThread.get()).isNotSameAs(Thread.currentThread());
            assertClosedAfterOneFailedAttempt(catchThrowable(call::join).getCause());
        } finally {
            call.cancel(true);
            client.close();
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Timeout(120)
    void closingTheClientUnderLoadEndsEveryCallPromptlyAndItsWorkerThreadsEnd() throws Exception {
        int waiting = 100;
        int inFlight = 10;
        int blocking = 8;
        ClientThreads threads = ClientThreads.since(name -> false);
        Events events = new Events();
        RetryPolicy policy = RetryPolicy.builder().backoff(BACKOFF, 2.0, BACKOFF.multipliedBy(2))
                .jitter(Jitter.DECORRELATED).scheduler(scheduler).noCircuitBreaker().noRetryBudget().build();
        ResilientHttpClient client = Clients.resilient(policy).listener(events).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        List<Caller> callers = new ArrayList<>();
        try {
            for (int i = 0; i < waiting; i++) {
                calls.add(client.sendAsync(HttpRequest.newBuilder(origin.uri("/articles/7")).GET().build(),
                        BodyHandlers.ofString()));
            }
            for (int i = 0; i < blocking; i++) {
                callers.add(new Caller(Sending.SEND, client, origin.uri("/articles/7")));
            }
            Await.until("every quick call's first attempt failed", Duration.ofSeconds(30),
                    () -> events.failures.get() >= waiting + blocking, events.failures::get);
            for (int i = 0; i < inFlight; i++) {
                calls.add(client.sendAsync(HttpRequest.newBuilder(origin.uri("/slow/7")).GET().build(),
                        BodyHandlers.ofString()));
            }
            Await.until("every slow call's attempt started", Duration.ofSeconds(30),
                    () -> events.started.get() == waiting + blocking + inFlight, events.started::get);

            client.close();

            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally(error -> null)
                    .get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertClosedAfterOneFailedAttempt(catchThrowable(call::join).getCause());
            }
            for (Caller caller : callers) {
                assertClosedAfterOneFailedAttempt(caller.outcome(PROMPTLY));
            }
        } finally {
            calls.forEach(call -> call.cancel(true));
            callers.forEach(Caller::close);
            client.close();
        }
        assertThat(events.started).as("no call made a second attempt").hasValue(waiting + blocking + inFlight);
        Await.until("the client's worker threads ended", Duration.ofSeconds(30),
                () -> threads.count().ourWorkers() == 0, threads::names);
        assertThat(scheduler.getQueue()).as("every wait's timer, cancelled").isEmpty();
    }

    private RetryPolicy longBackoff() {
        return RetryPolicy.builder().backoff(BACKOFF, 2.0, BACKOFF.multipliedBy(2)).jitter(Jitter.DECORRELATED)
                .scheduler(scheduler).build();
    }

    private static void assertClosedAfterOneFailedAttempt(Throwable thrown) {
        assertThat(thrown).isInstanceOf(ClientClosedException.class)
                .hasMessageContaining("closed before attempt 2")
                .hasCauseInstanceOf(HttpFailureException.class);
        HttpFailureException attempts = (HttpFailureException) thrown.getCause();
        assertThat(attempts.report().attempts()).isEqualTo(1);
        assertThat(attempts.kind()).isEqualTo(FailureKind.SERVER_ERROR);
        assertThat(attempts.report().lastStatus()).isEqualTo(503);
    }

    /** Counts the attempts started, and tells when the first started and when one failed. */
    private static final class Events implements HttpEventListener {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final CountDownLatch startedOnce = new CountDownLatch(1);
        final CountDownLatch failed = new CountDownLatch(1);

        @Override
        public void attemptStarted(HttpRequest request, int attempt) {
            started.incrementAndGet();
            startedOnce.countDown();
        }

        @Override
        public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
            failures.incrementAndGet();
            failed.countDown();
        }
    }

    /** One call made on a thread of its own, so that the test's thread can close the client meanwhile. */
    private static final class Caller implements AutoCloseable {
        private final FutureTask<Throwable> task;
        private final Thread thread;

        Caller(Sending sending, ResilientHttpClient client, URI uri) {
            HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
            task = new FutureTask<>(() -> catchThrowable(() -> sending.call(client, request, BodyHandlers.ofString())));
            thread = new Thread(task, "caller");
            thread.start();
        }

        /** What the call threw, waited for at most {@code bound}. */
        Throwable outcome(Duration bound) throws Exception {
            try {
                return task.get(bound.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the caller broke", e.getCause());
            }
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).isFalse();
        }
    }
}
