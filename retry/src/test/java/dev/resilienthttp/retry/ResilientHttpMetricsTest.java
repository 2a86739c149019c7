package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.Await;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The metrics a user would chart, counted in a SimpleMeterRegistry from real calls. */
class ResilientHttpMetricsTest {

    @Test
    void callsRetriesFailuresRefusalsAndLatchStateAreCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        RetryPolicy policy = RetryPolicy.builder()
                .backoff(Duration.ofMillis(1), 2.0, Duration.ofMillis(5))
                .forbiddenLatch(2, 0.9, 50)
                .protectionListener(metrics)
                .build();
        Behaviour forbidden = Behaviour.respond(403, Map.of(), "no");
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.ok())
                .enqueue(Behaviour.respond(503, Map.of(), "busy"), Behaviour.ok(), forbidden, forbidden);
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("metrics-test/1 (ops@example.org)")
                     .retry(policy).listener(metrics).build()) {
            HttpRequest get = HttpRequest.newBuilder(server.uri("/a")).build();

            assertThat(client.send(get, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> client.send(get, BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(HttpFailureException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.FORBIDDEN));
            assertThatThrownBy(() -> client.send(get, BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(HttpFailureException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.BLOCKED));
        }

        assertThat(registry.get("resilient.http.calls").tags("result", "success").counter().count()).isEqualTo(1);
        assertThat(registry.get("resilient.http.calls").tags("kind", "FORBIDDEN").counter().count()).isEqualTo(1);
        assertThat(registry.get("resilient.http.calls").tags("kind", "BLOCKED").counter().count()).isEqualTo(1);
        assertThat(registry.get("resilient.http.retries").counter().count()).isEqualTo(2);
        assertThat(registry.get("resilient.http.attempts.failed").tags("kind", "SERVER_ERROR").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("resilient.http.calls.refused").tags("kind", "BLOCKED").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("resilient.http.hosts.blocked").gauge().value()).isEqualTo(1);

        policy.unblock(policy.blockedHosts().iterator().next());
        assertThat(registry.get("resilient.http.hosts.blocked").gauge().value()).isZero();
    }

    @Test
    void theCircuitStateGaugeFollowsTheBreaker() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        metrics.circuitStateChanged("api.example.org:443", CircuitState.CLOSED, CircuitState.OPEN);
        assertThat(registry.get("resilient.http.circuit.state").tag("host", "api.example.org:443").gauge().value())
                .isEqualTo(2);
        metrics.circuitStateChanged("api.example.org:443", CircuitState.OPEN, CircuitState.HALF_OPEN);
        assertThat(registry.get("resilient.http.circuit.state").tag("host", "api.example.org:443").gauge().value())
                .isEqualTo(1);
    }

    @Test
    void tenThousandPathsAndAThousandHostsMakeABoundedNumberOfMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = ResilientHttpMetrics.builder()
                .uriTemplate(request -> request.uri().getPath())    // the mistake: a raw path as the template
                .build();
        metrics.bindTo(registry);
        for (int i = 0; i < 10_000; i++) {
            HttpRequest request = HttpRequest.newBuilder(java.net.URI.create("http://api.example.org/articles/" + i))
                    .build();
            metrics.callStarted(request);
            metrics.attemptStarted(request, 1);
            metrics.callFailed(request, new dev.resilienthttp.core.FailureReport("GET", request.uri().toString(),
                    java.time.Instant.EPOCH, Duration.ZERO, java.util.List.of(), FailureKind.CIRCUIT_OPEN, ""));
        }
        for (int i = 0; i < 1_000; i++) {
            String host = "host-" + i + ".example.org:443";
            metrics.callRefused(host, FailureKind.CIRCUIT_OPEN);
            metrics.retryRefusedByBudget(host);
            metrics.hostHeld(host, Duration.ofSeconds(1));
            metrics.circuitStateChanged(host, CircuitState.CLOSED, CircuitState.OPEN);
        }

        int meters = registry.getMeters().size();
        assertThat(meters).as("meters")
                .isLessThanOrEqualTo(4 * (RetryDefaults.METRIC_HOSTS + 1) + (RetryDefaults.METRIC_URIS + 1) + 10);
        assertThat(registry.find("http.client.requests").timers()).as("one timer per kept uri, plus other")
                .hasSize(RetryDefaults.METRIC_URIS + 1);
        assertThat(registry.get("http.client.requests").tag("uri", "other").timer().count())
                .isEqualTo(10_000 - RetryDefaults.METRIC_URIS);
        assertThat(registry.get("resilient.http.calls.refused").tags("host", "other").counter().count())
                .as("the timers' api.example.org:80 took one of the host tags")
                .isEqualTo(1_000 - (RetryDefaults.METRIC_HOSTS - 1));
        assertThat(registry.get("resilient.http.circuits.open").gauge().value()).isEqualTo(1_000);

        for (int i = 0; i < 1_000; i++) {
            metrics.circuitStateChanged("host-" + i + ".example.org:443", CircuitState.OPEN, CircuitState.HALF_OPEN);
        }
        assertThat(registry.get("resilient.http.circuits.open").gauge().value())
                .as("hosts whose breaker left the open state no longer count").isZero();
        assertThat(registry.get("resilient.http.circuit.state").tags("host", "host-0.example.org:443").gauge().value())
                .isEqualTo(1);
    }

    @Test
    void namedHostsAreTheOnlyHostTagsBesidesOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = ResilientHttpMetrics.builder().hosts("api.example.org:443").build();
        metrics.bindTo(registry);
        metrics.callRefused("api.example.org:443", FailureKind.BLOCKED);
        metrics.callRefused("elsewhere.example.org:443", FailureKind.BLOCKED);
        metrics.circuitStateChanged("elsewhere.example.org:443", CircuitState.CLOSED, CircuitState.OPEN);

        assertThat(registry.find("resilient.http.calls.refused").counters())
                .extracting(counter -> counter.getId().getTag("host"))
                .containsExactlyInAnyOrder("api.example.org:443", "other");
        assertThat(registry.find("resilient.http.circuit.state").gauges()).as("no gauge for an unnamed host").isEmpty();
        assertThat(registry.get("resilient.http.circuits.open").gauge().value()).isEqualTo(1);
    }

    @Test
    void eachCallIsTimedOnceWithMicrometersHttpClientTagsAndTheUriTemplate() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = ResilientHttpMetrics.builder()
                .uriTemplate(request -> request.uri().getPath().startsWith("/articles/") ? "/articles/{id}" : null)
                .build();
        metrics.bindTo(registry);
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(1), 2.0, Duration.ofMillis(5))
                .protectionListener(metrics).build();
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.ok())
                .enqueue(Behaviour.respond(503, Map.of(), "busy"), Behaviour.ok(),
                        Behaviour.respond(404, Map.of(), "gone"));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("metrics-test/1 (ops@example.org)")
                     .retry(policy).listener(metrics).build()) {
            String host = "127.0.0.1:" + server.uri("/").getPort();
            assertThat(client.send(HttpRequest.newBuilder(server.uri("/articles/17")).build(),
                    BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/articles/18"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), BodyHandlers.ofString()))
                    .isInstanceOf(HttpFailureException.class);
            client.send(HttpRequest.newBuilder(server.uri("/health")).build(), BodyHandlers.ofString());

            assertThat(registry.get("http.client.requests").tags("method", "GET", "uri", "/articles/{id}",
                    "status", "200", "outcome", "SUCCESS", "error", "none", "host", host).timer().count())
                    .as("the call whose 503 was retried is one call, timed once").isEqualTo(1);
            assertThat(registry.get("http.client.requests").tags("method", "POST", "uri", "/articles/{id}",
                    "status", "404", "outcome", "CLIENT_ERROR", "error", "CLIENT_ERROR").timer().count()).isEqualTo(1);
            assertThat(registry.get("http.client.requests").tags("uri", "UNKNOWN", "status", "200").timer().count())
                    .as("no template: UNKNOWN, never the path").isEqualTo(1);
            assertThat(registry.find("http.client.requests").timers())
                    .flatExtracting(timer -> timer.getId().getTags())
                    .noneMatch(tag -> tag.getValue().contains("/articles/1") || tag.getValue().contains("/health"));
        }
    }

    @Test
    void aUriTemplateFunctionThatThrowsLeavesTheCallTimedWithUnknown() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = ResilientHttpMetrics.builder()
                .uriTemplate(request -> {
                    throw new IllegalStateException("the template function's bug");
                })
                .build();
        metrics.bindTo(registry);
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("metrics-test/1 (ops@example.org)")
                     .listener(metrics).build()) {
            assertThat(client.send(HttpRequest.newBuilder(server.uri("/articles/17")).build(),
                    BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }

        assertThat(registry.get("http.client.requests").tags("uri", "UNKNOWN", "status", "200").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("resilient.http.calls").tags("result", "success").counter().count()).isEqualTo(1);
    }

    @Test
    void aCallStoppedFromOutsideIsTimedWithWhatStoppedIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create("https://api.example.org/a")).build();
        metrics.callStarted(request);
        metrics.callEnded(request, 1, new java.util.concurrent.CancellationException());
        metrics.callEnded(request, 1, new java.util.concurrent.CancellationException());

        assertThat(registry.get("http.client.requests").tags("error", "CANCELLED", "status", "UNKNOWN",
                "outcome", "UNKNOWN", "host", "api.example.org:443").timer().count())
                .as("timed once, however many end events").isEqualTo(1);
    }

    @Test
    void aCallStoppedByAnExceptionIsTaggedWithItsClassWhetherTheHandlersOrTheJdks() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        HttpResponse.BodyHandler<String> buggy = info -> {
            throw new IllegalStateException("a body handler's bug");
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start();
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("metrics-test/1 (ops@example.org)")
                     .listener(metrics).build()) {
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/a")).build(), buggy))
                    .isInstanceOf(IllegalStateException.class);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.example.org/a")).build();
        metrics.callStarted(request);
        metrics.callEnded(request, 0, new RejectedExecutionException("a shut-down scheduler"));

        assertThat(registry.find("http.client.requests").timers())
                .extracting(timer -> timer.getId().getTag("error") + "=" + timer.count())
                .containsExactlyInAnyOrder("IllegalStateException=1", "RejectedExecutionException=1");
    }

    @Test
    void everyCallTheTimerTimesIsCountedInCallsAStoppedOneAsStopped() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        HttpResponse.BodyHandler<String> buggy = info -> {
            throw new IllegalStateException("a body handler's bug");
        };
        try (ScriptedHttpServer server = ScriptedHttpServer.start()
                .enqueue(Behaviour.ok(), Behaviour.respond(404, Map.of(), "gone"));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("metrics-test/1 (ops@example.org)")
                     .retry(RetryPolicy.standard()).listener(metrics).build()) {
            HttpRequest get = HttpRequest.newBuilder(server.uri("/a")).build();
            assertThat(client.send(get, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> client.send(get, BodyHandlers.ofString())).isInstanceOf(HttpFailureException.class);
            assertThatThrownBy(() -> client.send(get, buggy)).isInstanceOf(IllegalStateException.class);
        }

        assertThat(registry.find("resilient.http.calls").counters())
                .extracting(counter -> counter.getId().getTag("result") + " " + counter.getId().getTag("kind") + "="
                        + counter.count())
                .containsExactlyInAnyOrder("success none=1.0", "failure CLIENT_ERROR=1.0",
                        "stopped IllegalStateException=1.0");
        assertThat(registry.find("http.client.requests").timers())
                .extracting(timer -> timer.getId().getTag("error") + "=" + timer.count())
                .containsExactlyInAnyOrder("none=1", "CLIENT_ERROR=1", "IllegalStateException=1");
    }

    @Test
    void aCallCancelledWhileItWaitsToRetryIsTaggedWithItsLastResponsesStatus() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        try (ScriptedHttpServer server = ScriptedHttpServer.start()
                .enqueue(Behaviour.respond(503, Map.of("Retry-After", "60"), "busy"));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("metrics-test/1 (ops@example.org)")
                     .retry(RetryPolicy.standard()).listener(metrics).build()) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(
                    HttpRequest.newBuilder(server.uri("/a")).build(), BodyHandlers.ofString());
            Await.until("the 503 heard", Duration.ofSeconds(10),
                    () -> registry.find("resilient.http.attempts.failed").counter() != null);
            assertThat(call.cancel(true)).as("cancelled while it waits the minute the server asked for").isTrue();
        }

        assertThat(registry.get("http.client.requests").timer().getId().getTags())
                .extracting(Tag::getKey, Tag::getValue)
                .contains(tuple("status", "503"), tuple("outcome", "SERVER_ERROR"), tuple("error", "CANCELLED"));
    }

    @Test
    void aCallStoppedWhileAnAttemptIsInFlightHasNoStatusThoughAnEarlierAttemptHadOne() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.example.org/a")).build();
        metrics.callStarted(request);
        metrics.attemptStarted(request, 1);
        metrics.attemptFailed(request, 1, FailureKind.SERVER_ERROR, 503, null);
        metrics.attemptStarted(request, 2);
        metrics.callEnded(request, 2, new InterruptedException());

        assertThat(registry.get("http.client.requests").tags("error", "INTERRUPTED").timer().getId()
                .getTag("status")).as("as a policy's failure after a transport failure is").isEqualTo("UNKNOWN");
    }

    @Test
    void aHostNamedWithoutItsPortIsRefusedWithAMessageThatSaysSo() {
        assertThatThrownBy(() -> ResilientHttpMetrics.builder().hosts("api.example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port").hasMessageContaining("api.example.org");
    }

    /**
     * A slow call and a fast one made at once with one request object (as {@code client.newRequest} builds it), each
     * timed by its own duration: the fast one's end does not stop the slow one's timer. The registry's clock is the
     * test's: the slow call is held from 0 s to 10 s, the fast one starts and ends at 5 s.
     */
    @Test
    void oneRequestObjectSentTwiceAtOnceTimesEachCallByItsOwnDuration() throws Exception {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedHttpServer server = ScriptedHttpServer.start()
                .enqueue(Behaviour.heldUntil(release, Duration.ofSeconds(10), Behaviour.ok()));
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("metrics-test/1 (ops@example.org)")
                     .preferHttp1().listener(metrics).build()) {
            HttpRequest shared = client.newRequest(server.uri("/a")).build();
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(shared, BodyHandlers.ofString());
            try {
                server.awaitRequests(1, Duration.ofSeconds(10));
                clock.add(Duration.ofSeconds(5));
                assertThat(client.send(shared, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                clock.add(Duration.ofSeconds(5));
            } finally {
                release.countDown();
            }
            assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }

        Timer timer = registry.get("http.client.requests").timer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.max(TimeUnit.SECONDS)).as("the slow call").isEqualTo(10);
        assertThat(timer.totalTime(TimeUnit.SECONDS)).as("the fast call took no time").isEqualTo(10);
    }

    @Test
    void aNamedHostMatchesWhateverItsCase() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = ResilientHttpMetrics.builder().hosts("API.Example.org:443").build();
        metrics.bindTo(registry);
        metrics.callRefused("api.example.org:443", FailureKind.BLOCKED);     // as the policy names hosts

        assertThat(registry.find("resilient.http.calls.refused").counters())
                .extracting(counter -> counter.getId().getTag("host")).containsExactly("api.example.org:443");
    }

    @Test
    void aHostNamedWithItsSchemeIsRefusedWithAMessageThatSaysSo() {
        assertThatThrownBy(() -> ResilientHttpMetrics.builder().hosts("https://api.example.org:443"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a scheme").hasMessageContaining("https://api.example.org:443");
    }

    @Test
    void oneRequestObjectSentTwiceAtOnceIsTwoTimedCalls() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilientHttpMetrics metrics = new ResilientHttpMetrics();
        metrics.bindTo(registry);
        HttpRequest shared = HttpRequest.newBuilder(java.net.URI.create("https://api.example.org/a")).build();
        metrics.callStarted(shared);
        metrics.callStarted(shared);
        metrics.callFailed(shared, new dev.resilienthttp.core.FailureReport("GET", "https://api.example.org/a",
                java.time.Instant.EPOCH, Duration.ZERO, java.util.List.of(), FailureKind.CIRCUIT_OPEN, ""));
        metrics.callEnded(shared, 1, new InterruptedException());
        metrics.callEnded(shared, 1, new InterruptedException());

        assertThat(registry.find("http.client.requests").timers())
                .as("each call timed once, the stray third end ignored")
                .extracting(timer -> timer.getId().getTag("error") + "=" + timer.count())
                .containsExactlyInAnyOrder("CIRCUIT_OPEN=1", "INTERRUPTED=1");
    }
}
