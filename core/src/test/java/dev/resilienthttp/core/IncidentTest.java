package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Sending;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.ToxiproxyEndpoint;
import dev.resilienthttp.faults.ToxiproxyTest;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The incident on loopback: 20 users POST through a NAT gateway (the test kit's {@code idle_reset}) that forgets
 * a connection after 1.5 s idle and answers the next packet with RST, with 0-3 s of think time between calls.
 * 20 x 8 = 160 calls per run. The raw JDK client runs the same traffic in the same class, for comparison.
 */
@ToxiproxyTest
class IncidentTest {
    private static final Duration NAT_IDLE = Duration.ofMillis(1500);
    private static final Workload TRAFFIC = new Workload(20, 8, Duration.ofSeconds(3), 17L);
    private static final Duration BOUND = Duration.ofSeconds(120);

    private ScriptedHttpServer origin;
    private URI api;
    private ExecutorService callers;
    private RecordingListener listener;

    @BeforeEach
    void setUp(ToxiproxyClient toxiproxy, ToxiproxyEndpoint endpoint) throws IOException {
        assumeTrue(endpoint.inJvm(), "idle_reset is the test kit's own toxic; a real Toxiproxy has none");
        origin = ScriptedHttpServer.start();
        Proxy proxy = toxiproxy.createProxy("api", "127.0.0.1:0", "127.0.0.1:" + origin.port());
        endpoint.addIdleReset("api", "nat-gateway", NAT_IDLE);
        api = URI.create("http://" + proxy.getListen() + "/articles");
        callers = Executors.newFixedThreadPool(20);
        listener = new RecordingListener();
    }

    /** Request ids the origin saw more than once. */
    private long duplicates() {
        return origin.requests().stream()
                .collect(Collectors.groupingBy(r -> r.header("X-Request-Id").orElse(""), Collectors.counting()))
                .values().stream().filter(count -> count > 1).count();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (callers != null) {
            callers.shutdownNow();
            callers.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (origin != null) {
            origin.close();
        }
    }

    private HttpRequest post(int user, int call, boolean keyed) {
        String id = "u" + user + "-c" + call;
        HttpRequest.Builder builder = HttpRequest.newBuilder(api)
                .header("X-Request-Id", id)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"article\":\"" + id + "\"}"));
        if (keyed) {
            builder.header("Idempotency-Key", id);
        }
        return builder.build();
    }

    private ResilientHttpClientBuilder resilient() {
        return ResilientHttpClient.builder()
                .userAgent("incident-test/1.0 (ops@example.org)")
                .preferHttp1()
                .listener(listener);
    }

    private Workload.Result run(ResilientHttpClient client, Sending sending, boolean keyed)
            throws InterruptedException {
        return TRAFFIC.run((user, call) -> CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<String> response = sending.call(client, post(user, call, keyed), BodyHandlers.ofString());
                return response.statusCode() == 200 ? null : "HTTP " + response.statusCode();
            } catch (HttpFailureException e) {
                return e.kind() + "/" + e.report().outcome();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, callers), BOUND);
    }

    private long staleAttempts() {
        return listener.events().stream().filter(e -> e.endsWith("STALE_CONNECTION") && e.startsWith("attemptFailed"))
                .count();
    }

    private void report(String what, Workload.Result result) {
        long rotations = listener.events().stream().filter(e -> e.startsWith("generationRotated")).count();
        System.out.printf("INCIDENT %s: %s; stale attempts %d; rotations %d; origin saw %d requests on %d connections, "
                + "%d duplicated ids%n", what, result, staleAttempts(), rotations, origin.requestCount(),
                origin.connectionCount(), duplicates());
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void everyKeyedPostSucceedsThroughTheNatAndTheOriginSeesEachKeyOnce(Sending sending) throws Exception {
        try (ResilientHttpClient client = resilient().build()) {
            Workload.Result result = run(client, sending, true);
            report("resilient-http keyed " + sending, result);

            assertThat(staleAttempts()).as("the NAT did reset pooled connections").isPositive();
            assertThat(result.succeeded()).isEqualTo(160);
            assertThat(origin.requestCount()).isEqualTo(160);
            assertThat(duplicates()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void unkeyedPostsAreNeverSentTwiceAndFailOnlyAsStaleConnectionsThatMayHaveBeenProcessed(Sending sending)
            throws Exception {
        try (ResilientHttpClient client = resilient().build()) {
            Workload.Result result = run(client, sending, false);
            report("resilient-http unkeyed " + sending, result);

            assertThat(result.failed()).as("the NAT did reset pooled connections").isPositive();
            assertThat(result.failures()).containsOnlyKeys("STALE_CONNECTION/MAYBE_PROCESSED");
            assertThat(duplicates()).isZero();
            assertThat(origin.requestCount()).isEqualTo(result.succeeded());
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void withMaxIdleAndMaxAgeBelowTheNatTimeoutNoRequestMeetsAReset(Sending sending) throws Exception {
        Duration belowNat = NAT_IDLE.dividedBy(2);
        try (ResilientHttpClient client = resilient().maxIdle(belowNat).maxConnectionAge(belowNat).build()) {
            Workload.Result result = run(client, sending, false);
            report("resilient-http prevention " + sending, result);

            assertThat(result.succeeded()).isEqualTo(160);
            assertThat(staleAttempts()).isZero();
            assertThat(listener.events()).anyMatch(e -> e.startsWith("generationRotated"));
        }
    }

    @Test
    void theRawJdkClientLosesPostsToTheSameNat() throws Exception {
        HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Workload.Result result = TRAFFIC.run((user, call) -> CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<String> response = raw.send(post(user, call, true), BodyHandlers.ofString());
                return response.statusCode() == 200 ? null : "HTTP " + response.statusCode();
            } catch (IOException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, callers), BOUND);
        report("raw JDK HttpClient", result);

        assertThat(result.failed()).as("without a fault the comparison proves nothing").isPositive();
        assertThat(result.failures()).containsOnlyKeys("IOException: HTTP/1.1 header parser received no bytes");
    }
}
