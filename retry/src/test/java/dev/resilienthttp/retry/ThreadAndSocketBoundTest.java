package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.RotationReason;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.testkit.OpenSockets;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A client under churn keeps its threads and sockets bounded: {@value #IN_FLIGHT} {@code sendAsync} calls kept in
 * flight for {@link #RUN} (each call that ends starts the next) against an origin that answers each connection once
 * and resets {@value #RESET_SHARE} of them before any response byte, with keyed POSTs retried by a {@link RetryPolicy},
 * and connection generations rotated every {@link #ROTATE_EVERY}. The client's threads (told apart from the JVM's
 * others by id, then by name) and the process's sockets are sampled every {@link #SAMPLE_EVERY}; the peaks are
 * printed as {@code THREAD-SOCKET-BOUND} lines before they are judged.
 *
 * <p>The assertion that the client starts no thread of the JDK's default executor holds only once issue 16 lands
 * (one executor per client, shared by its generations); until then it fails, and says how many there were.
 */
class ThreadAndSocketBoundTest {
    private static final int IN_FLIGHT = 200;
    private static final Duration RUN = Duration.ofSeconds(20);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    /** The sampling loop's count bound: the samples {@link #RUN} holds, and some to spare. */
    private static final int MAX_SAMPLES = (int) (RUN.toMillis() / SAMPLE_EVERY.toMillis()) + 50;
    /** The traffic's count bound: far above what {@link #RUN} allows on loopback (a few thousand calls a second). */
    private static final int MAX_CALLS = 2_000_000;
    private static final double RESET_SHARE = 0.3;
    /** Short, so that generations rotate several times during the run: the executor must be shared by them all. */
    private static final Duration ROTATE_EVERY = Duration.ofSeconds(4);
    /**
     * At most this many generations are alive at once (the current one, one draining and, while an older one still
     * drains, a third: {@code dev.resilienthttp.core.internal.Generations}' Javadoc); each has one selector thread.
     */
    private static final int MAX_ALIVE_GENERATIONS = 3;
    /**
     * {@code Defaults.WORKER_THREADS} + {@code Defaults.JDK_WORKER_THREADS} (package-private in
     * {@code dev.resilienthttp.core}): the caps of the client's two pools, for the caller's code and the JDK's.
     */
    private static final int WORKER_THREADS = 64 + 64;
    /**
     * Sockets the client may hold at once beyond one per call in flight: as many again. Each call has at most one
     * attempt in flight (a retry waits holding none) and the origin closes every connection after its one response,
     * so no pool holds idle connections. The margin covers connections whose call has ended but whose socket the JDK
     * has not closed yet (seen in {@code CLOSE_WAIT}: the JDK closes them behind the live exchanges, late when the CPUs
     * are busy), and the skew between reading {@code /proc/self/fd} and the server's count of its own connections.
     * Measured on two shared CPUs (JDK 17 and 25, before issue 16): the median sample 171 to 196, the 99th percentile
     * 201 to 238, the peak 201 to 333 (the highest with a load average of 8 from other work). A leak is caught at the
     * end instead: once no call is in flight, the client must hold no socket at all.
     */
    private static final int SOCKET_MARGIN = IN_FLIGHT;
    /** For ends that are no measure of the client: the calls in flight ending, threads ending after close. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Duration AFTER_CLOSE = Duration.ofSeconds(10);

    /** Hears rotations and failed attempts. */
    private static final class Events implements HttpEventListener {
        final ConcurrentMap<RotationReason, AtomicInteger> rotations = new ConcurrentHashMap<>();
        final ConcurrentMap<FailureKind, AtomicInteger> failedAttempts = new ConcurrentHashMap<>();

        @Override
        public void generationRotated(int retired, int current, RotationReason reason) {
            rotations.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
            failedAttempts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }

        int rotated() {
            return rotations.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    /**
     * What one sample saw; {@code otherSockets} are the process's sockets that are neither the server's nor the
     * client's, negative where sockets are not counted. The server's connections are read before and after the
     * process's sockets and the larger count is taken: a connection the server accepts or closes meanwhile then counts
     * as its own, never as the client's.
     */
    private record Sample(ClientThreads.Count threads, int sockets, int serverSockets, int otherSockets) {
        /** The process's sockets less its others and those the server holds (1: listening). */
        int clientSockets() {
            return otherSockets < 0 ? 0 : sockets - otherSockets - serverSockets - 1;
        }
    }

    private static Sample sample(ClientThreads threads, int otherSockets, ScriptedHttpServer server) {
        ClientThreads.Count count = threads.count();
        if (otherSockets < 0) {
            return new Sample(count, 0, 0, otherSockets);
        }
        int serverBefore = server.openConnections();
        int sockets = OpenSockets.count();
        return new Sample(count, sockets, Math.max(serverBefore, server.openConnections()), otherSockets);
    }

    @Test
    void twoHundredCallsInFlightAgainstAnOriginThatResetsAThirdOfItsConnectionsKeepThreadsAndSocketsBounded()
            throws Exception {
        boolean sockets = OpenSockets.countable();
        ClientThreads threads = ClientThreads.since(name -> name.startsWith("scripted-http-"));
        Events events = new Events();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(10).backoff(Duration.ofMillis(5), 2.0,
                Duration.ofMillis(50)).random(new Random(42)).noRetryBudget().noCircuitBreaker().build();
        List<Sample> samples = new ArrayList<>();
        List<String> report = new ArrayList<>();
        report.add("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs; "
                + IN_FLIGHT + " calls in flight for " + RUN.toSeconds() + " s; origin: each connection answered once, "
                + RESET_SHARE + " of them reset before any response byte; generations rotated every "
                + ROTATE_EVERY.toSeconds() + " s; a sample every " + SAMPLE_EVERY.toMillis() + " ms"
                + (sockets ? "" : "; no /proc: sockets not counted"));
        Traffic traffic = null;
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.chance(new Random(7), RESET_SHARE,
                Behaviour.resetBeforeResponse(), Behaviour.closeAfterResponse()), MAX_CALLS)) {
            ResilientHttpClient client = Clients.resilient(policy).listener(events).maxConnectionAge(ROTATE_EVERY)
                    .build();
            try {
                // Whatever else the process holds (building the client opened nothing; the server has 1: listening).
                int otherSockets = sockets ? OpenSockets.count() - server.openConnections() - 1 : -1;
                traffic = new Traffic(client, server.uri("/load"), MAX_CALLS);
                traffic.start(IN_FLIGHT);
                long end = System.nanoTime() + RUN.toNanos();
                for (int i = 0; i < MAX_SAMPLES && System.nanoTime() - end < 0; i++) {
                    if (traffic.broken.await(SAMPLE_EVERY.toNanos(), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                    samples.add(sample(threads, otherSockets, server));
                }
                traffic.stop();
                Traffic stopped = traffic;
                Await.until("every call in flight ended", BOUND, () -> stopped.inFlight.get() == 0,
                        stopped.inFlight::get);
                report.add("calls: " + traffic + "; connections accepted by the origin " + server.connectionCount()
                        + "; failed attempts " + new TreeMap<>(events.failedAttempts) + "; rotations "
                        + events.rotated() + " " + new TreeMap<>(events.rotations));
                report.add(samples.size() + " samples; peaks: " + peaks(samples));
                if (sockets) {
                    long idleSince = System.nanoTime();
                    Await.until("the client holds no socket once no call is in flight", AFTER_CLOSE,
                            // At most none: a socket of the process's others closing meanwhile makes it negative.
                            () -> sample(threads, otherSockets, server).clientSockets() <= 0,
                            () -> sample(threads, otherSockets, server));
                    report.add("no call in flight: the client held no socket within "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince) + " ms");
                }
            } finally {
                client.close();
            }
            afterClose(threads, report);
        } finally {
            report.forEach(ThreadAndSocketBoundTest::print);
        }

        assertThat(traffic.unexpected).as("calls that failed other than with an HttpFailureException").isEmpty();
        assertThat(traffic.succeeded.get()).as("calls that succeeded").isPositive();
        assertThat(events.failedAttempts.get(FailureKind.CONNECTION_RESET)).as("the resets happened").isNotNull();
        assertThat(events.rotated()).as("generations rotated during the run").isPositive();

        Map<String, Object> peaks = peaks(samples);
        int generationsMade = 1 + events.rotated();
        SoftAssertions softly = new SoftAssertions();
        if (Runtime.version().feature() >= 21) {
            softly.assertThat((int) peaks.get("selectors")).as("selector threads at once, one per alive generation")
                    .isLessThanOrEqualTo(MAX_ALIVE_GENERATIONS);
        } else {
            // JDK 17 cannot shut a client down: a drained generation's selector thread lives until it is collected.
            softly.assertThat((int) peaks.get("selectors")).as("selector threads at once, at most one per generation "
                    + "made (JDK 17 frees a dropped client's thread only once it is collected)")
                    .isLessThanOrEqualTo(generationsMade);
        }
        softly.assertThat((int) peaks.get("our-workers")).as("the client's worker threads at once")
                .isLessThanOrEqualTo(WORKER_THREADS);
        softly.assertThat((int) peaks.get("jdk-workers"))
                .as("threads of the JDK's default executor (none once issue 16 gives the client its own executor)")
                .isZero();
        if (sockets) {
            softly.assertThat((int) peaks.get("client-sockets")).as("the client's sockets at once")
                    .isLessThanOrEqualTo(IN_FLIGHT + SOCKET_MARGIN);
        }
        softly.assertAll();
        assumeTrue(sockets, "no /proc/self/fd: the client's sockets were not counted");
    }

    /**
     * After {@code close()}: on JDK 21+ every selector and worker thread of the client ends, within
     * {@link #AFTER_CLOSE}; on JDK 17 the client's own workers end, and what the JDK still runs is written down (a
     * JDK 17 client has no shutdown: its threads end once it is collected).
     */
    private static void afterClose(ClientThreads threads, List<String> lines) throws InterruptedException {
        long start = System.nanoTime();
        if (Runtime.version().feature() >= 21) {
            Await.until("no selector or worker thread of the closed client is left", AFTER_CLOSE,
                    () -> threads.count().noneOfTheClient(), threads::names);
        } else {
            Await.until("no worker thread of the closed client's own is left", AFTER_CLOSE,
                    () -> threads.count().ourWorkers() == 0, threads::names);
        }
        Map<String, Long> left = threads.names().stream().collect(Collectors.groupingBy(
                name -> name.replaceAll("-Worker-\\d+$", "-Worker-*"), TreeMap::new, Collectors.counting()));
        lines.add("after close, within " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: "
                + threads.count() + "; threads started since the client was built and still alive: " + left);
    }

    private static Map<String, Object> peaks(List<Sample> samples) {
        Map<String, Object> peaks = new LinkedHashMap<>();
        peaks.put("selectors", samples.stream().mapToInt(s -> s.threads().selectors()).max().orElse(0));
        peaks.put("jdk-workers", samples.stream().mapToInt(s -> s.threads().jdkWorkers()).max().orElse(0));
        peaks.put("our-workers", samples.stream().mapToInt(s -> s.threads().ourWorkers()).max().orElse(0));
        Map<String, Integer> others = new TreeMap<>();
        samples.forEach(s -> s.threads().others().forEach((name, n) -> others.merge(name, n, Math::max)));
        peaks.put("other-threads", others);
        List<Sample> bySockets = new ArrayList<>(samples);
        bySockets.sort(Comparator.comparingInt(Sample::clientSockets));
        Sample top = bySockets.isEmpty() ? new Sample(null, 0, 0, -1) : bySockets.get(bySockets.size() - 1);
        peaks.put("client-sockets", top.clientSockets());
        for (int percent : new int[] {50, 90, 99}) {
            peaks.put("client-sockets-p" + percent, bySockets.isEmpty() ? 0
                    : bySockets.get(Math.min(bySockets.size() - 1, bySockets.size() * percent / 100)).clientSockets());
        }
        peaks.put("at-the-socket-peak", "process " + top.sockets() + ", its others " + top.otherSockets()
                + ", server's connections " + top.serverSockets());
        return peaks;
    }

    private static void print(String line) {
        System.out.println("THREAD-SOCKET-BOUND " + line);
        System.out.flush();
    }
}
