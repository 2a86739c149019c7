package dev.resilienthttp.examples.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The incident, replayed end to end in one process on loopback: a real Kafka broker, the article API, and the test
 * kit's fault proxy between them that forgets idle connections as the NAT gateway did ({@code idle_reset}) and
 * resets a few new ones ({@code reset_peer}). The same article-update events go through the original service (the
 * raw JDK client, one attempt, error topic then dead-letter topic) and through resilient-http; the replay then reads
 * the topics and prints where every event ended.
 *
 * <pre>{@code
 * java -jar examples/target/incident-replay.jar [--events N] [--idle-ms N] [--reset-rate F] [--json] ...
 * }</pre>
 */
public final class IncidentReplay {
    /** Both services retry their error topic after this long, so the two runs differ only in the HTTP client. */
    static final Duration ERROR_TOPIC_DELAY = Duration.ofSeconds(1);
    /** The API closes a keep-alive connection idle this much longer than the longest quiet gap. */
    static final Duration IDLE_CLOSE_MARGIN = Duration.ofSeconds(2);
    /**
     * Both services' consumers heartbeat this often (Kafka's default is 3 s), so that a group whose members join
     * one after another settles in a fraction of a second: members learn of a rebalance by heartbeat.
     */
    static final int HEARTBEAT_MS = 200;
    static final String RAW = "jdk-httpclient";
    static final String RESILIENT = "resilient-http";

    private IncidentReplay() {
    }

    public static void main(String[] args) {
        PrintStream stdout = System.out;
        // Libraries that print (Kafka's storage formatter does) must not mix into the table or the JSON.
        System.setOut(System.err);
        int status = run(args, stdout, System.err);
        stdout.flush();
        System.setOut(stdout);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the replay with the result on {@code out} and progress on {@code err}.
     *
     * @return the exit status: 0 every event accounted for in both runs, 1 not so or the replay failed, 2 a wrong
     *         command line
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (ReplayOptions.wantsHelp(args)) {
            out.println(ReplayOptions.USAGE);
            return 0;
        }
        ReplayOptions options;
        try {
            options = ReplayOptions.parse(args);
        } catch (UsageException e) {
            err.println("incident-replay: " + e.getMessage());
            err.println("Try --help.");
            return 2;
        }
        Progress progress = new Progress(err);
        try {
            return replay(options, out, progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("incident-replay: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("incident-replay: the replay failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** How long the API lets a keep-alive connection idle: see {@link ArticleApi}. */
    static Duration apiIdleClose(Scenario scenario) {
        return scenario.longestGap().plus(IDLE_CLOSE_MARGIN);
    }

    private static int replay(ReplayOptions options, PrintStream out, Progress progress) throws Exception {
        Scenario scenario = Scenario.draw(options);
        ArticleApi.configureJdkServer(apiIdleClose(scenario));
        progress.say("starting a Kafka broker, the article API and the fault proxy on loopback");
        try (InProcessBroker broker = InProcessBroker.start();
             ArticleApi api = ArticleApi.start(scenario.deleted(), options.apiLatency());
             FaultyPath path = FaultyPath.start();
             AckedProducer eventSource = new AckedProducer(broker.bootstrapServers())) {
            progress.say("broker at %s, API at 127.0.0.1:%d answering after %d ms; %d events over %d articles "
                            + "(%d deleted) in %d bursts, quiet gaps %d-%d ms; %s", broker.bootstrapServers(),
                    api.port(), options.apiLatencyMs(), scenario.events().size(), options.articles(),
                    scenario.deleted().size(), scenario.bursts().size(),
                    Math.round(options.idleMs() * 1.5), Math.round(options.idleMs() * 2.5),
                    scenario.throttledBurst() < 0 ? "no 429"
                            : "429 for " + options.throttleMs() + " ms from burst " + (scenario.throttledBurst() + 1));
            ClientRun run = new ClientRun(options, scenario, broker, api, path, eventSource, progress);
            String brokers = broker.bootstrapServers();
            RunResult raw = run.run(RAW, (topics, uri) ->
                    new RawService(brokers, topics, uri, options.partitions(), ERROR_TOPIC_DELAY));
            RunResult resilient = run.run(RESILIENT, (topics, uri) ->
                    new ResilientService(brokers, topics, uri, options.partitions(), ERROR_TOPIC_DELAY,
                            options.seed(), Duration.ofMillis(options.idleMs()), options.maxInFlight()));
            List<RunResult> results = List.of(raw, resilient);
            if (options.json()) {
                JsonReport.print(out, options, scenario, results);
            } else {
                TableReport.print(out, options, scenario, results);
            }
            out.flush();
            progress.say("closing the broker, the API and the proxy");
            return results.stream().allMatch(RunResult::complete) ? 0 : 1;
        }
    }
}
