package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.RotationReason;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.faults.ToxiproxyEndpoint;
import dev.resilienthttp.faults.ToxiproxyTest;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The incident replay's load without Kafka: {@value #IN_FLIGHT} keyed POSTs kept in flight with {@code sendAsync}
 * through a NAT (the test kit's {@code idle_reset}) that forgets a connection idle longer than {@link #NAT_IDLE}, so
 * that the client's pool holds about {@value #IN_FLIGHT} connections; the client counts a connection idle for half
 * that long as possibly stale, as the replay's does. Then the traffic pauses longer than the NAT's limit, held by a
 * {@code 429} with {@code Retry-After} or by a quiet gap, and every pooled connection is dead when it resumes. Each
 * reset is then the NAT's, on a connection that sat idle past its limit: every one must be a stale connection (retried
 * at once on a fresh pool, not counted by the circuit breaker), none a fresh connection's reset. The numbers are
 * printed as {@code STALE-UNDER-LOAD} lines.
 *
 * <p>The replay's NAT forgets a connection after 400 ms; here it takes {@link #NAT_IDLE}, because the NAT measures
 * idle time on the wire and the client on its own threads: on two shared CPUs, both loaded by 200 calls, a response
 * can wait hundreds of milliseconds for the thread that ends its exchange, and the NAT would then reset connections
 * the client rightly counts busy.
 */
@ToxiproxyTest
class StaleConnectionsUnderLoadEndToEndTest {
    private static final int IN_FLIGHT = 200;
    private static final Duration NAT_IDLE = Duration.ofSeconds(2);
    /** Longer than {@link #NAT_IDLE}: the hold a 429 asks for, in whole seconds as the header says it. */
    private static final int RETRY_AFTER_SECONDS = 3;
    private static final Duration STALE_AFTER_IDLE = NAT_IDLE.dividedBy(2);
    /** Calls before the traffic pauses: enough for the pool to reach {@value #IN_FLIGHT} connections. */
    private static final int BEFORE_PAUSE = 1_000;
    private static final int CALLS = 2_000;
    /** For ends that are no measure of the client: the calls in flight ending. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private ScriptedHttpServer origin;
    private URI api;
    private final ProtectionEvents protection = new ProtectionEvents();
    private final Attempts attempts = new Attempts();

    /** Hears every failed attempt by kind, the stale connections each call met, and rotations. */
    private static final class Attempts implements HttpEventListener {
        final ConcurrentMap<FailureKind, AtomicInteger> failed = new ConcurrentHashMap<>();
        final ConcurrentMap<String, AtomicInteger> staleByCall = new ConcurrentHashMap<>();
        final AtomicInteger mostAttempts = new AtomicInteger();
        final AtomicInteger rotations = new AtomicInteger();

        @Override
        public void attemptStarted(HttpRequest request, int attempt) {
            mostAttempts.accumulateAndGet(attempt, Math::max);
        }

        @Override
        public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
            failed.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            if (kind == FailureKind.STALE_CONNECTION) {
                staleByCall.computeIfAbsent(request.headers().firstValue("Idempotency-Key").orElse(""),
                        k -> new AtomicInteger()).incrementAndGet();
            }
        }

        @Override
        public void generationRotated(int retired, int current, RotationReason reason) {
            rotations.incrementAndGet();
        }

        int count(FailureKind kind) {
            AtomicInteger n = failed.get(kind);
            return n == null ? 0 : n.get();
        }

        int mostStaleInOneCall() {
            return staleByCall.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
        }

        @Override
        public String toString() {
            return "failed attempts " + new TreeMap<>(failed) + ", most attempts in a call " + mostAttempts
                    + ", most stale connections met by a call " + mostStaleInOneCall() + ", rotations " + rotations;
        }
    }

    @BeforeEach
    void startOriginBehindANat(ToxiproxyClient toxiproxy, ToxiproxyEndpoint endpoint) throws IOException {
        assumeTrue(endpoint.inJvm(), "idle_reset is the test kit's own toxic; a real Toxiproxy has none");
        origin = ScriptedHttpServer.start(Behaviour.ok(), 10 * CALLS);
        Proxy proxy = toxiproxy.createProxy("api", "127.0.0.1:0", "127.0.0.1:" + origin.port());
        endpoint.addIdleReset("api", "nat-gateway", NAT_IDLE);
        api = URI.create("http://" + proxy.getListen() + "/articles");
    }

    @AfterEach
    void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    /** {@link RetryPolicy#standard()}'s settings, its jitter seeded, its protections heard. */
    private ResilientHttpClient client() {
        RetryPolicy policy = RetryPolicy.builder().random(new Random(42)).protectionListener(protection).build();
        return Clients.resilient(policy).staleAfterIdle(STALE_AFTER_IDLE).listener(attempts).build();
    }

    private static void awaitEnd(Traffic traffic) throws InterruptedException {
        Await.until("every call ended", BOUND, () -> traffic.inFlight.get() == 0, traffic::toString);
    }

    private void print(String scenario, Traffic... phases) {
        StringBuilder line = new StringBuilder("STALE-UNDER-LOAD ").append(scenario).append(": ");
        for (Traffic phase : phases) {
            line.append('[').append(phase).append("] ");
        }
        System.out.println(line.append(attempts).append(", breaker ").append(protection.transitions())
                .append(", origin connections ").append(origin.connectionCount()));
    }

    @Test
    void callsHeldPastTheNatLimitByA429MeetItsResetsAsStaleConnectionsAndTheBreakerStaysClosed() throws Exception {
        Traffic traffic;
        try (ResilientHttpClient client = client()) {
            traffic = new Traffic(client, api, CALLS);
            traffic.start(IN_FLIGHT);
            Traffic running = traffic;
            Await.until("the pool has grown", BOUND, () -> running.started.get() > BEFORE_PAUSE, running::toString);
            for (int i = 0; i < IN_FLIGHT; i++) {
                // The connections that carried these stay pooled through the hold: the JDK reads a short body whole.
                origin.enqueue(Behaviour.respond(429, Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)),
                        "slow down"));
            }
            Await.until("every call was made", BOUND, () -> running.started.get() > CALLS, running::toString);
            awaitEnd(traffic);
        }
        print(IN_FLIGHT + " calls held " + RETRY_AFTER_SECONDS + " s by a 429, NAT idle " + NAT_IDLE.toMillis()
                + " ms", traffic);

        assertThat(traffic.unexpected).isEmpty();
        assertThat(traffic.succeeded.get()).as("calls that succeeded: " + traffic).isEqualTo(CALLS);
        assertThat(attempts.count(FailureKind.THROTTLED)).as("the 429s were answered").isPositive();
        assertThat(attempts.count(FailureKind.STALE_CONNECTION)).as("the NAT reset the connections that sat out "
                + "the hold").isPositive();
        // Each reset was the NAT's, on a connection idle past its limit. Before the client knew that the JDK hands
        // pooled connections out in its own order, a loaded machine showed up to 16 as a fresh connection's (12 of 282
        // in one CI run); before stale connections were told apart at all, all 200 were, and they opened the breaker.
        // A few may still come from the client's idle clock running late on a loaded machine (see the class comment).
        assertThat(attempts.count(FailureKind.CONNECTION_RESET)).as("resets called a fresh connection's: " + attempts)
                .isLessThanOrEqualTo(attempts.count(FailureKind.STALE_CONNECTION) / 50);
        assertThat(protection.transitions()).as("the circuit breaker's transitions").isEmpty();
        // One dead connection a call, and one more when its re-send raced a rotation. Three were seen in 2 of 14 runs
        // on 2026-12-06 (1-3 rotations a run; 0 of 4 on the code before that day's changes, 1-2 rotations), every call
        // still succeeding with the breaker closed; more would mean re-sends going from one dead connection to the next.
        assertThat(attempts.mostStaleInOneCall()).as("dead connections met by one call: its retry went to a new "
                + "pool, not to the next dead connection").isLessThanOrEqualTo(3);
    }

    @Test
    void twoHundredConnectionsLeftIdlePastTheNatLimitAreStaleConnectionsWhenTrafficResumes() throws Exception {
        Traffic busy;
        Traffic resumed;
        try (ResilientHttpClient client = client()) {
            busy = new Traffic(client, api, BEFORE_PAUSE);
            busy.start(IN_FLIGHT);
            Traffic running = busy;
            Await.until("every call was made", BOUND, () -> running.started.get() > BEFORE_PAUSE, running::toString);
            awaitEnd(busy);
            long quietSince = System.nanoTime();
            // The pause is the scenario: every pooled connection sits idle past the NAT's limit.
            Await.until("the pool sat idle past the NAT's limit", BOUND,
                    () -> System.nanoTime() - quietSince > NAT_IDLE.toNanos() * 3 / 2);
            resumed = new Traffic(client, api, CALLS - BEFORE_PAUSE);
            resumed.start(IN_FLIGHT);
            Await.until("every call was made", BOUND, () -> resumed.started.get() > CALLS - BEFORE_PAUSE,
                    resumed::toString);
            awaitEnd(resumed);
        }
        print(IN_FLIGHT + " pooled connections idle 1.5 x NAT idle " + NAT_IDLE.toMillis() + " ms, then "
                + IN_FLIGHT + " calls at once", busy, resumed);

        assertThat(busy.unexpected).isEmpty();
        assertThat(resumed.unexpected).isEmpty();
        assertThat(busy.succeeded.get() + resumed.succeeded.get()).as("calls that succeeded").isEqualTo(CALLS);
        assertThat(attempts.count(FailureKind.STALE_CONNECTION)).as("the NAT reset the pooled connections")
                .isPositive();
        assertThat(attempts.count(FailureKind.CONNECTION_RESET)).as("resets called a fresh connection's: "
                + attempts).isLessThanOrEqualTo(attempts.count(FailureKind.STALE_CONNECTION) / 50);
        assertThat(protection.transitions()).as("the circuit breaker's transitions").isEmpty();
        assertThat(attempts.mostStaleInOneCall()).as("dead connections met by one call").isLessThanOrEqualTo(2);
    }
}
