package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A blocking {@code send} whose thread is interrupted while it waits to retry: the caller learns at once, with an
 * {@link InterruptedException} that names the request, and no further attempt is made.
 */
class InterruptedRetryWaitTest {
    /** A backoff of at least 30 s before the first retry: the wait is certainly under way when interrupted. */
    private static final RetryPolicy LONG_WAIT = RetryPolicy.builder()
            .backoff(Duration.ofSeconds(30), 2.0, Duration.ofSeconds(60)).jitter(Jitter.DECORRELATED).build();

    private WireMockOrigin origin;

    @BeforeEach
    void startOrigin() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get("/articles/7").willReturn(aResponse().withStatus(503)));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @Test
    @Timeout(30)
    void anInterruptDuringTheWaitEndsTheCallWithoutAnotherAttempt() throws Exception {
        CountDownLatch firstAttemptFailed = new CountDownLatch(1);
        HttpEventListener listener = new HttpEventListener() {
            @Override
            public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                      Throwable cause) {
                firstAttemptFailed.countDown();
            }
        };
        HttpRequest request = HttpRequest.newBuilder(origin.uri("/articles/7")).GET().build();

        try (ResilientHttpClient client = Clients.resilient(LONG_WAIT).listener(listener).build()) {
            FutureTask<Throwable> sending = new FutureTask<>(
                    () -> catchThrowable(() -> client.send(request, BodyHandlers.ofString())));
            Thread caller = new Thread(sending, "interrupted-caller");
            caller.start();
            try {
                assertThat(firstAttemptFailed.await(10, TimeUnit.SECONDS)).as("first attempt failed").isTrue();
                long interruptedAt = System.nanoTime();
                caller.interrupt();

                Throwable thrown = sending.get(10, TimeUnit.SECONDS);

                assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(10));
                assertThat(thrown).isInstanceOf(InterruptedException.class)
                        .hasMessage("interrupted while waiting to retry GET /articles/7");
            } finally {
                caller.interrupt();
                caller.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertThat(caller.isAlive()).isFalse();
        }
        origin.server().verify(1, getRequestedFor(urlEqualTo("/articles/7")));
    }
}
