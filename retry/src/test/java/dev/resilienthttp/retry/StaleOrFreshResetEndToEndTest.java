package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.RotationReason;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ManualClock;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stale or fresh: a reset before any response byte is a stale connection (retried at once, free, the pool replaced)
 * only when the request may have gone out on a connection that sat idle long enough for a box on the path to drop
 * it. A reset on a connection that was busy a moment ago, or on a new one, is the server's: backoff, counted by the
 * retry budget and the circuit breaker, and no new pool. Each scenario runs through {@code send} and
 * {@code sendAsync}; the numbers are printed for the README.
 */
class StaleOrFreshResetEndToEndTest {
    private static final ProtectionNumbers NUMBERS = new ProtectionNumbers();
    private static final Duration BASE = Duration.ofMillis(5);
    private static final int USERS = 20;
    private static final int CALLS_PER_USER = 10;
    private static final Duration BOUND = Duration.ofSeconds(60);

    @AfterAll
    static void printNumbers() {
        NUMBERS.print();
    }

    /** Hears what the tests assert: each attempt's failure kind, retries' waits, rotations. */
    private static final class Attempts implements HttpEventListener {
        final List<FailureKind> failed = new CopyOnWriteArrayList<>();
        final List<Long> retryWaitsNanos = new CopyOnWriteArrayList<>();
        final AtomicInteger rotations = new AtomicInteger();
        private final Map<HttpRequest, Long> failedAt = new ConcurrentHashMap<>();

        @Override
        public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
            failed.add(kind);
            failedAt.put(request, System.nanoTime());
        }

        @Override
        public void attemptStarted(HttpRequest request, int attempt) {
            Long before = failedAt.remove(request);
            if (before != null) {
                retryWaitsNanos.add(System.nanoTime() - before);
            }
        }

        @Override
        public void generationRotated(int retired, int current, RotationReason reason) {
            rotations.incrementAndGet();
        }

        long count(FailureKind kind) {
            return failed.stream().filter(kind::equals).count();
        }
    }

    private static RetryPolicy backoffPolicy() {
        // Decorrelated jitter never waits less than the base: a retry that came sooner was not backed off.
        return RetryPolicy.builder().maxAttempts(10).backoff(BASE, 2.0, Duration.ofMillis(50))
                .jitter(Jitter.DECORRELATED).random(new Random(42)).build();
    }

    private static HttpRequest keyedPost(URI uri, String key) {
        return HttpRequest.newBuilder(uri).header("Idempotency-Key", key).POST(BodyPublishers.ofString("{}")).build();
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void anOriginThatClosesEveryConnectionAndResetsSomeGetsBackedOffRetriesAndNoNewPools(Sending sending)
            throws Exception {
        Attempts attempts = new Attempts();
        int calls = 40;
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.chance(new Random(7), 0.3,
                Behaviour.resetBeforeResponse(), Behaviour.closeAfterResponse()));
             ResilientHttpClient client = Clients.resilient(backoffPolicy()).listener(attempts).build()) {
            for (int call = 0; call < calls; call++) {
                HttpResponse<String> response = sending.call(client, keyedPost(server.uri("/a"), "k-" + call),
                        BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }

            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("calls", calls);
            facts.put("connections", server.connectionCount());
            facts.put("CONNECTION_RESET", attempts.count(FailureKind.CONNECTION_RESET));
            facts.put("STALE_CONNECTION", attempts.count(FailureKind.STALE_CONNECTION));
            facts.put("rotations", attempts.rotations.get());
            NUMBERS.record("40 keyed POSTs, the origin closes every connection and resets 30 % of them",
                    "resilient-http " + sending, facts);

            assertThat(attempts.count(FailureKind.CONNECTION_RESET)).as("the faults happened").isPositive();
            assertThat(attempts.failed).as("never a stale connection: none was pooled")
                    .containsOnly(FailureKind.CONNECTION_RESET);
            assertThat(attempts.rotations.get()).as("no pool replaced").isZero();
            assertThat(attempts.retryWaitsNanos).as("every retry backed off").hasSize(attempts.failed.size())
                    .allSatisfy(wait -> assertThat(wait).isGreaterThanOrEqualTo(BASE.toNanos()));
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aServerWhoseKeepAliveTimerClosesAnIdleConnectionAsTheRequestArrivesIsAStaleConnectionRetriedAtOnce(
            Sending sending) throws Exception {
        Attempts attempts = new Attempts();
        ManualClock clock = new ManualClock();
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.onReuse(Behaviour.closeBeforeResponse()));
             ResilientHttpClient client = Clients.resilient(backoffPolicy()).listener(attempts).clock(clock).build()) {
            sending.call(client, keyedPost(server.uri("/a"), "k-0"), BodyHandlers.ofString());
            clock.advance(Duration.ofSeconds(5));   // a 5 s keep-alive timer, as Node's and Apache's

            HttpResponse<String> response = sending.call(client, keyedPost(server.uri("/a"), "k-1"),
                    BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(attempts.failed).containsExactly(FailureKind.STALE_CONNECTION);
            assertThat(attempts.rotations.get()).isEqualTo(1);
        }
    }

    /**
     * The server reads each request and resets 20 % of them before any response byte: whether it acted first
     * cannot be seen from the wire, which is why the calls carry keys.
     */
    @Test
    void twentyUsersBackToBackOpenAtMostHalfAgainTheConnectionsOfTheRawJdkClient() throws Exception {
        int raw;
        try (ScriptedHttpServer server = ScriptedHttpServer.start(resetsOneInFive())) {
            HttpClient jdk = Clients.rawJdk();
            try {
                runUsers(request -> {
                    try {
                        jdk.send(request, BodyHandlers.ofString());
                    } catch (java.io.IOException expected) {
                        // the raw client does not retry: its call is lost, which is the point of the comparison
                    }
                    return null;
                }, server.uri("/a"));
            } finally {
                Clients.close(jdk);
            }
            raw = server.connectionCount();
        }

        Attempts attempts = new Attempts();
        int resilient;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (ScriptedHttpServer server = ScriptedHttpServer.start(resetsOneInFive());
             ResilientHttpClient client = Clients.resilient(tenAttempts()).listener(attempts).build()) {
            runUsers(request -> {
                try {
                    return client.send(request, BodyHandlers.ofString());
                } catch (HttpFailureException e) {
                    failures.add(e);
                    return null;
                }
            }, server.uri("/a"));
            resilient = server.connectionCount();
        }

        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("calls", USERS * CALLS_PER_USER);
        facts.put("raw-jdk-connections", raw);
        facts.put("resilient-connections", resilient);
        facts.put("CONNECTION_RESET", attempts.count(FailureKind.CONNECTION_RESET));
        facts.put("STALE_CONNECTION", attempts.count(FailureKind.STALE_CONNECTION));
        facts.put("rotations", attempts.rotations.get());
        NUMBERS.record("20 users x 10 keyed POSTs back to back, 20 % reset before any response byte",
                "raw JDK and resilient-http (send)", facts);

        assertThat(failures).as("every keyed call succeeds").isEmpty();
        assertThat(attempts.count(FailureKind.STALE_CONNECTION)).as("back to back, no connection sat idle")
                .isZero();
        assertThat((double) resilient).as("connections opened, against the raw JDK client's %d", raw)
                .isLessThanOrEqualTo(1.5 * raw);
    }

    /**
     * Ten attempts, not six: with one request in five reset, six resets in a row for one of 200 calls happen in about
     * one run in eighty; ten in a row, in one in fifty thousand.
     */
    private static RetryPolicy tenAttempts() {
        return RetryPolicy.builder().maxAttempts(10).backoff(BASE, 2.0, Duration.ofMillis(50))
                .random(new Random(42)).build();
    }

    private static Behaviour resetsOneInFive() {
        return Behaviour.chance(new Random(11), 0.2, Behaviour.resetBeforeResponse(), Behaviour.ok());
    }

    @FunctionalInterface
    private interface Caller {
        Object call(HttpRequest request) throws Exception;
    }

    private static void runUsers(Caller caller, URI uri) throws Exception {
        ExecutorService users = Executors.newFixedThreadPool(USERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int user = 0; user < USERS; user++) {
                int u = user;
                done.add(users.submit(() -> {
                    for (int call = 0; call < CALLS_PER_USER; call++) {
                        caller.call(keyedPost(uri, "u" + u + "-c" + call));
                    }
                    return null;
                }));
            }
            for (Future<?> user : done) {
                user.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            users.shutdownNow();
            assertThat(users.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
    }
}
