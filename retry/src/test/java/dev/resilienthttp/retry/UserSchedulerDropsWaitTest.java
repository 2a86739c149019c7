package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.HttpFailureException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A scheduler of the user's that drops a call's wait between attempts ({@code shutdownNow()} returns it unrun; a
 * shutdown with delayed tasks turned off cancels it): nothing else would ever end that call, so it ends about a second
 * after its wait was due, with the report of its attempts, and no further attempt is made.
 */
class UserSchedulerDropsWaitTest {
    /** The wait between the two attempts: long enough to drop it while it is queued. */
    private static final Duration BACKOFF = Duration.ofMillis(500);
    /** The wait was due after {@link #BACKOFF}, looked at 1 s later: well within this. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    private WireMockOrigin origin;
    private ScheduledThreadPoolExecutor scheduler;
    private ResilientHttpClient client;
    private final Attempts attempts = new Attempts();

    @BeforeEach
    void start() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get("/articles/7").willReturn(aResponse().withStatus(503)));
        scheduler = new ScheduledThreadPoolExecutor(1);
        RetryPolicy policy = RetryPolicy.builder().backoff(BACKOFF, 2.0, BACKOFF).jitter(Jitter.DECORRELATED)
                .scheduler(scheduler).build();
        client = Clients.resilient(policy).listener(attempts).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        origin.close();
    }

    @Test
    @Timeout(60)
    void aWaitDroppedByShutdownNowEndsTheCallWithTheReportOfItsAttempts() throws Exception {
        CompletableFuture<HttpResponse<String>> call = firstAttemptFailed();

        assertThat(scheduler.shutdownNow()).as("the call's wait, dropped").hasSize(1);

        assertEndedUnrunAfterOneAttempt(call);
    }

    @Test
    @Timeout(60)
    void aWaitCancelledByAShutdownWithoutDelayedTasksEndsTheCall() throws Exception {
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        CompletableFuture<HttpResponse<String>> call = firstAttemptFailed();

        scheduler.shutdown();

        assertEndedUnrunAfterOneAttempt(call);
    }

    @Test
    @Timeout(60)
    void aWaitOnASchedulerShutDownGentlyStillRunsAndTheCallRetries() throws Exception {
        CompletableFuture<HttpResponse<String>> call = firstAttemptFailed();

        scheduler.shutdown();   // delayed tasks still run: the wait is late, not dropped

        Throwable thrown = catchThrowable(() -> call.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        // The second attempt ran; the third could not wait on a scheduler shut down by then.
        assertThat(thrown.getCause()).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("scheduler is shut down");
        assertThat(((HttpFailureException) thrown.getCause().getCause()).report().attempts()).isEqualTo(2);
        origin.server().verify(2, getRequestedFor(urlEqualTo("/articles/7")));
    }

    private CompletableFuture<HttpResponse<String>> firstAttemptFailed() throws InterruptedException {
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(
                HttpRequest.newBuilder(origin.uri("/articles/7")).GET().build(), BodyHandlers.ofString());
        assertThat(attempts.failed.await(10, TimeUnit.SECONDS)).as("the first attempt failed").isTrue();
        Await.until("the call's wait is queued on the scheduler", Duration.ofSeconds(10),
                () -> scheduler.getQueue().size() == 1, () -> scheduler.getQueue().size());
        return call;
    }

    private void assertEndedUnrunAfterOneAttempt(CompletableFuture<HttpResponse<String>> call) {
        Throwable thrown = catchThrowable(() -> call.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).as("the call ended").isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("dropped the wait of")
                .hasCauseInstanceOf(HttpFailureException.class);
        HttpFailureException report = (HttpFailureException) thrown.getCause().getCause();
        assertThat(report.report().attempts()).isEqualTo(1);
        assertThat(report.kind()).isEqualTo(FailureKind.SERVER_ERROR);
        assertThat(attempts.started).as("no attempt after the dropped wait").hasValue(1);
        origin.server().verify(1, getRequestedFor(urlEqualTo("/articles/7")));
    }

    /** Counts the attempts started, and tells when one failed. */
    private static final class Attempts implements HttpEventListener {
        final AtomicInteger started = new AtomicInteger();
        final CountDownLatch failed = new CountDownLatch(1);

        @Override
        public void attemptStarted(HttpRequest request, int attempt) {
            started.incrementAndGet();
        }

        @Override
        public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
            failed.countDown();
        }
    }
}
