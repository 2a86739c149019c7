package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller of {@code sendAsync} that gives its future up: cancels it, or completes it itself ({@code orTimeout},
 * {@code complete}). No one awaits the call any more, so it stops: a wait for the next attempt ends at once, no
 * attempt follows, and the listener hears the call end once, with what the caller ended it with.
 */
class CallerGivesUpEndToEndTest {
    /** A wait between attempts long enough to give the call up during it. */
    private static final Duration BACKOFF = Duration.ofSeconds(5);
    private static final Duration BOUND = Duration.ofSeconds(10);

    private WireMockOrigin origin;
    private ScheduledThreadPoolExecutor scheduler;
    private final Events events = new Events();

    @BeforeEach
    void start() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get("/down").willReturn(aResponse().withStatus(503)));
        origin.server().stubFor(get("/up").willReturn(ok("fine")));
        scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        origin.close();
    }

    private RetryPolicy longWaits() {
        return RetryPolicy.builder().backoff(BACKOFF, 2.0, BACKOFF).jitter(Jitter.DECORRELATED).scheduler(scheduler)
                .build();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(origin.uri(path)).GET().build();
    }

    @Test
    @Timeout(60)
    void aFutureTheCallerTimesOutDuringAWaitStopsTheCallAndNoAttemptFollows() throws Exception {
        try (ResilientHttpClient client = Clients.resilient(longWaits()).listener(events).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(request("/down"), BodyHandlers.ofString());
            assertThat(events.failed.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the first attempt failed").isTrue();
            Await.until("the call waits for its next attempt", BOUND, () -> scheduler.getQueue().size() == 1);

            call.orTimeout(1, TimeUnit.MILLISECONDS);

            Await.until("the call's wait ended", BOUND, () -> scheduler.getQueue().isEmpty(),
                    () -> scheduler.getQueue().size());
            Await.until("the call's end was told", BOUND, () -> !events.ends.isEmpty());
            assertThat(events.ends).singleElement().isInstanceOf(TimeoutException.class);
        }
        assertThat(events.started()).as("no attempt after the caller gave up").isEqualTo(1);
        origin.server().verify(1, getRequestedFor(urlEqualTo("/down")));
    }

    @Test
    @Timeout(60)
    void aFutureCancelledDuringAWaitStopsTheCallAndNoAttemptFollows() throws Exception {
        try (ResilientHttpClient client = Clients.resilient(longWaits()).listener(events).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(request("/down"), BodyHandlers.ofString());
            assertThat(events.failed.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            Await.until("the call waits for its next attempt", BOUND, () -> scheduler.getQueue().size() == 1);

            assertThat(call.cancel(true)).isTrue();

            Await.until("the call's wait ended", BOUND, () -> scheduler.getQueue().isEmpty(),
                    () -> scheduler.getQueue().size());
            Await.until("the call's end was told", BOUND, () -> !events.ends.isEmpty());
            assertThat(events.ends).singleElement().isInstanceOf(CancellationException.class);
        }
        assertThat(events.started()).isEqualTo(1);
        origin.server().verify(1, getRequestedFor(urlEqualTo("/down")));
    }

    @Test
    @Timeout(60)
    void aFutureTheCallerCompletesItselfStopsTheCallAndItsEndIsToldOnce() throws Exception {
        try (ResilientHttpClient client = Clients.resilient(longWaits()).listener(events).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(request("/down"), BodyHandlers.ofString());
            assertThat(events.failed.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            Await.until("the call waits for its next attempt", BOUND, () -> scheduler.getQueue().size() == 1);

            assertThat(call.complete(null)).isTrue();

            Await.until("the call's wait ended", BOUND, () -> scheduler.getQueue().isEmpty(),
                    () -> scheduler.getQueue().size());
            Await.until("the call's end was told", BOUND, () -> !events.ends.isEmpty());
            assertThat(events.ends).singleElement().isInstanceOf(CancellationException.class);
        }
        assertThat(events.started()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void aCancelEndsTheWaitItMeetsThoughTheWaitBeforeItEndedBeforeItsSchedulerReturned() throws Exception {
        RacingScheduler racing = new RacingScheduler();
        RetryPolicy policy = RetryPolicy.builder().backoff(BACKOFF, 2.0, BACKOFF).jitter(Jitter.DECORRELATED)
                .scheduler(racing).build();
        try (ResilientHttpClient client = Clients.resilient(policy).listener(events).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(request("/down"), BodyHandlers.ofString());
            assertThat(racing.secondScheduled.await(BOUND.toSeconds(), TimeUnit.SECONDS))
                    .as("the second wait was scheduled").isTrue();
            Await.until("the first wait's schedule() returned", BOUND, () -> racing.firstReturned);

            assertThat(call.cancel(true)).isTrue();

            Await.until("the second wait's timer was cancelled", BOUND, () -> racing.second.isCancelled());
        } finally {
            racing.shutdownNow();
            racing.firstRunner.join(BOUND.toMillis());
            assertThat(racing.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(events.started()).as("no attempt after the cancel").isEqualTo(2);
    }

    @Test
    @Timeout(60)
    void aListenerThatThrowsAnErrorAtTheCallsSuccessStillLetsTheCallerHaveTheResponse() throws Exception {
        HttpEventListener broken = new HttpEventListener() {
            @Override
            public void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
                throw new StackOverflowError("a listener's bug");
            }
        };
        try (ResilientHttpClient client = Clients.resilient(longWaits()).listener(broken).build()) {
            HttpResponse<String> response = client.sendAsync(request("/up"), BodyHandlers.ofString())
                    .get(BOUND.toSeconds(), TimeUnit.SECONDS);

            assertThat(response.body()).isEqualTo("fine");
        }
    }

    /**
     * A scheduler whose first wait ends before {@code schedule} returns: it runs the wait at once on a thread of its
     * own and returns only once the call's next wait is scheduled (and a moment more, for that wait to be set up).
     */
    private static final class RacingScheduler extends ScheduledThreadPoolExecutor {
        final CountDownLatch secondScheduled = new CountDownLatch(1);
        volatile ScheduledFuture<?> second;
        volatile boolean firstReturned;
        volatile Thread firstRunner = new Thread(() -> { });
        private int scheduled;

        RacingScheduler() {
            super(1);
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            int number;
            synchronized (this) {
                number = ++scheduled;
            }
            if (number == 1) {
                firstRunner = new Thread(command, "first-wait");
                firstRunner.start();
                try {
                    secondScheduled.await(BOUND.toSeconds(), TimeUnit.SECONDS);
                    Thread.sleep(200);   // widens the race for the test; asserts nothing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                firstReturned = true;
                return super.schedule(() -> { }, 0, TimeUnit.NANOSECONDS);
            }
            ScheduledFuture<?> future = super.schedule(command, delay, unit);
            if (number == 2) {
                second = future;
                secondScheduled.countDown();
            }
            return future;
        }
    }

    /** Attempts started and failed, and every end of the call told. */
    private static final class Events implements HttpEventListener {
        final List<Integer> attempts = new CopyOnWriteArrayList<>();
        final List<Throwable> ends = new CopyOnWriteArrayList<>();
        final CountDownLatch failed = new CountDownLatch(1);

        int started() {
            return attempts.size();
        }

        @Override
        public void attemptStarted(HttpRequest request, int attempt) {
            attempts.add(attempt);
        }

        @Override
        public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
            failed.countDown();
        }

        @Override
        public void callEnded(HttpRequest request, int attempts, Throwable error) {
            ends.add(error);
        }

        @Override
        public void callFailed(HttpRequest request, dev.resilienthttp.core.FailureReport report) {
            ends.add(new AssertionError("the call failed on its own: " + report.failReason()));
        }

        @Override
        public void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
            ends.add(new AssertionError("the call succeeded"));
        }
    }
}
