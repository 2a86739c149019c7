package dev.resilienthttp.examples.replay;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when", on a small replay: 100 events in 6 bursts, through the replay's main entry with
 * {@code --json}. The raw JDK client dead-letters events that met resets; resilient-http dead-letters only the
 * deleted articles' 404s; neither loses an event, and every event is counted exactly once.
 */
class IncidentReplayTest {
    private static final int EVENTS = 100;
    /** The replay's command line; ArticleApiTest configures the JDK's HTTP server as this replay does. */
    static final String[] ARGS = {"--events", String.valueOf(EVENTS), "--bursts", "6", "--deleted-rate", "0.05",
            "--seed", "7", "--json"};

    @Test
    void theRawClientDeadLettersResetsWhileResilientHttpDeadLettersOnlyTheDeletedArticlesAndNothingIsLost()
            throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        int status = IncidentReplay.run(ARGS.clone(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String progress = err.toString(StandardCharsets.UTF_8);
        System.out.println(progress);
        System.out.println(out.toString(StandardCharsets.UTF_8));
        assertThat(status).as(progress).isZero();
        JsonObject result = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(result.get("events").getAsInt()).isEqualTo(EVENTS);
        int deleted = result.getAsJsonObject("settings").get("deleted_articles").getAsInt();
        assertThat(deleted).as("the seed deletes some articles").isPositive();
        JsonObject raw = result.getAsJsonObject("clients").getAsJsonObject("jdk-httpclient");
        JsonObject resilient = result.getAsJsonObject("clients").getAsJsonObject("resilient-http");

        for (JsonObject client : new JsonObject[] {raw, resilient}) {
            assertThat(client.get("lost").getAsInt()).as("lost").isZero();
            assertThat(client.get("succeeded").getAsInt() + client.get("error_topic").getAsInt()
                    + client.get("dead_letter").getAsInt()).as("every event counted once").isEqualTo(EVENTS);
            assertThat(client.get("out_of_order").getAsInt()).as("one update per article is never out of order")
                    .isZero();
            assertThat(client.get("events_per_second").getAsDouble()).isPositive();
        }
        assertThat(reasons(raw)).as("the raw client dead-letters resets").containsKey("CONNECTION_RESET");
        assertThat(reasons(raw).get("CONNECTION_RESET")).isPositive();
        assertThat(reasons(resilient)).as("resilient-http dead-letters only the deleted articles")
                .isEqualTo(Map.of("CLIENT_ERROR", deleted));
        assertThat(resilient.get("succeeded").getAsInt()).isEqualTo(EVENTS - deleted);
        assertThat(resilient.getAsJsonObject("failed_attempts").has("STALE_CONNECTION"))
                .as("resilient-http met the same forgotten connections").isTrue();

        // resilient-http's deadline watchdog ends by itself a few seconds after its last deadline: join, bounded.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Thread thread : threadsLeftBehind(before)) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime())));
        }
        Set<String> leftBehind = threadsLeftBehind(before).stream()
                .map(thread -> thread.getName() + (thread.isDaemon() ? " (daemon)" : ""))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(leftBehind).as("threads the replay started and did not end").isEmpty();
    }

    /**
     * New threads still alive after the replay, but for daemon threads that only a garbage collection ends: the JDK
     * {@code HttpClient}'s (JDK 17 has no {@code close()}), the JDK's keep-alive timer, and Kafka's static metrics
     * ticker; and the one timer of the JVM that asynchronous retries wait on (the retry module's, like the JDK's
     * {@code CompletableFutureDelayScheduler}): the resilient service calls {@code sendAsync}; and a worker of the
     * JVM's common pool, shared by everything in the JVM and ended by the pool after 60 s idle (on JDK 25 the JDK
     * completes every {@code sendAsync} there; one stayed once).
     */
    private static List<Thread> threadsLeftBehind(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .filter(thread -> !(thread.isDaemon() && (thread.getName().startsWith("HttpClient-")
                        || thread.getName().equals("Keep-Alive-Timer")
                        || thread.getName().equals("CompletableFutureDelayScheduler")
                        || thread.getName().equals("resilient-http-retry-timer")
                        || thread.getName().startsWith("metrics-meter-tick-thread"))))
                .filter(thread -> !(thread instanceof ForkJoinWorkerThread
                        && ((ForkJoinWorkerThread) thread).getPool() == ForkJoinPool.commonPool()))
                .toList();
    }

    private static Map<String, Integer> reasons(JsonObject client) {
        Map<String, Integer> reasons = new TreeMap<>();
        client.getAsJsonObject("dead_letter_reasons").entrySet()
                .forEach(entry -> reasons.put(entry.getKey(), entry.getValue().getAsInt()));
        return reasons;
    }
}
