package dev.resilienthttp.examples.replay;

import java.time.Duration;
import java.util.Set;

/**
 * The replay's command line, parsed and checked. Every number that decides something random is drawn from
 * {@link #seed()}, so a seed reproduces the events, the deleted articles and the traffic's rhythm.
 *
 * @param events             article-update events produced to each run's source topic
 * @param idleMs             the NAT's idle limit ({@code idle_reset}): a connection quiet this long is forgotten
 * @param resetRate          the share of new connections the path resets ({@code reset_peer} toxicity)
 * @param deletedRate        the share of articles the API answers 404 for
 * @param throttleMs         how long the API answers 429 with {@code Retry-After: 1}, once per run; 0 for never
 * @param partitions         partitions of every topic, and consumers (workers) per pipeline
 * @param bursts             the events arrive in this many bursts, quiet gaps longer than {@code idleMs} between
 * @param seed               the seed of every random decision of the replay
 * @param apiLatencyMs       how long the API takes to answer each POST, whatever the answer
 * @param updatesPerArticle  updates of each article among the events, each carrying the article's next version
 * @param maxInFlight        events the resilient service handles at once per worker (its processor's
 *                           {@code maxInFlight})
 * @param json               print one JSON object instead of the table
 */
record ReplayOptions(int events, int idleMs, double resetRate, double deletedRate, int throttleMs, int partitions,
                     int bursts, long seed, int apiLatencyMs, int updatesPerArticle, int maxInFlight,
                     boolean json) {
    static final String USAGE = String.join("\n",
            "usage: java -jar examples/target/incident-replay.jar [options]",
            "",
            "Replays the incident in one process, on loopback: a Kafka broker, the article API, and a fault proxy",
            "between them that forgets idle connections as a NAT gateway does. The same events go through the",
            "original service (the raw JDK HttpClient, one attempt) and through resilient-http.",
            "",
            "  --events N        article-update events per run (default 1000)",
            "  --idle-ms N       the NAT forgets a connection idle longer than N ms (idle_reset; default 400)",
            "  --reset-rate F    share of new connections reset by the path (reset_peer toxicity; default 0.03)",
            "  --deleted-rate F  share of articles the API answers 404 for (default 0.02)",
            "  --throttle-ms N   the API answers 429 with Retry-After: 1 for N ms once per run; 0: never (default 1000)",
            "  --partitions N    partitions per topic and consumers per pipeline (default 4)",
            "  --bursts N        the events arrive in N bursts with quiet gaps between them (default 10)",
            "  --seed N          seed of the events, the deleted articles, the bursts and the backoff jitter",
            "                    (default 1; the proxy's fault draws are its own)",
            "  --api-latency-ms N",
            "                    the API answers each POST after N ms, 0 to 10000 (default 0)",
            "  --updates-per-article N",
            "                    the events update --events / N articles (rounded up), N times each, each",
            "                    update with the article's next version; the API counts an update older than",
            "                    one it accepted as out of order. 1 to 100 (default 1)",
            "  --max-in-flight N events resilient-http handles at once per worker, one per article, 1 to 1000",
            "                    (default 32, the processor's; the raw service handles one at a time)",
            "  --json            print one JSON object instead of the table",
            "  --help            this text",
            "",
            "Each client's result has its events per second (its first pass of the events, quiet gaps included:",
            "measure it with --bursts 1) and the updates the API saw out of order.",
            "",
            "Progress goes to stderr; the result to stdout. Exit status: 0 every event accounted for,",
            "1 events missing or the replay failed, 2 a wrong command line.");

    private static final Set<String> KNOWN = Set.of("--events", "--idle-ms", "--reset-rate",
            "--deleted-rate", "--throttle-ms", "--partitions", "--bursts", "--seed", "--api-latency-ms",
            "--updates-per-article", "--max-in-flight");

    static final ReplayOptions DEFAULTS = new ReplayOptions(1000, 400, 0.03, 0.02, 1000, 4, 10, 1L, 0, 1, 32,
            false);

    ReplayOptions {
        check(events >= 1 && events <= 100_000, "--events must be between 1 and 100000, was " + events);
        check(idleMs >= 50 && idleMs <= 60_000, "--idle-ms must be between 50 and 60000, was " + idleMs);
        check(resetRate >= 0 && resetRate <= 0.5, "--reset-rate must be between 0 and 0.5, was " + resetRate);
        check(deletedRate >= 0 && deletedRate <= 1, "--deleted-rate must be between 0 and 1, was " + deletedRate);
        check(throttleMs >= 0 && throttleMs <= 60_000, "--throttle-ms must be between 0 and 60000, was " + throttleMs);
        check(partitions >= 1 && partitions <= 16, "--partitions must be between 1 and 16, was " + partitions);
        check(bursts >= 1 && bursts <= events, "--bursts must be between 1 and --events (" + events + "), was "
                + bursts);
        check(apiLatencyMs >= 0 && apiLatencyMs <= 10_000, "--api-latency-ms must be between 0 and 10000, was "
                + apiLatencyMs);
        check(updatesPerArticle >= 1 && updatesPerArticle <= 100, "--updates-per-article must be between 1 and 100, "
                + "was " + updatesPerArticle);
        check(maxInFlight >= 1 && maxInFlight <= 1000, "--max-in-flight must be between 1 and 1000, was "
                + maxInFlight);
        check(updatesPerArticle <= events, "--updates-per-article must be at most --events (" + events + "), was "
                + updatesPerArticle);
    }

    Duration idle() {
        return Duration.ofMillis(idleMs);
    }

    Duration throttle() {
        return Duration.ofMillis(throttleMs);
    }

    Duration apiLatency() {
        return Duration.ofMillis(apiLatencyMs);
    }

    /** The articles the events update: {@code events / updatesPerArticle}, rounded up. */
    int articles() {
        return (events + updatesPerArticle - 1) / updatesPerArticle;
    }

    /** Whether the command line asks for the usage text. */
    static boolean wantsHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses {@code --name value} and {@code --name=value}.
     *
     * @throws UsageException with a message for the user when an argument is unknown, missing a value or out of range
     */
    static ReplayOptions parse(String[] args) {
        ReplayOptions o = DEFAULTS;
        int events = o.events;
        int idleMs = o.idleMs;
        double resetRate = o.resetRate;
        double deletedRate = o.deletedRate;
        int throttleMs = o.throttleMs;
        int partitions = o.partitions;
        int bursts = o.bursts;
        long seed = o.seed;
        int apiLatencyMs = o.apiLatencyMs;
        int updatesPerArticle = o.updatesPerArticle;
        int maxInFlight = o.maxInFlight;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (name.equals("--json")) {
                check(inline == null, "--json takes no value");
                json = true;
                continue;
            }
            check(KNOWN.contains(name), "unknown option: " + arg);
            String value = inline;
            if (value == null) {
                check(i + 1 < args.length && !args[i + 1].startsWith("--"), name + " needs a value");
                value = args[++i];
            }
            switch (name) {
                case "--events" -> events = integer(name, value);
                case "--idle-ms" -> idleMs = integer(name, value);
                case "--reset-rate" -> resetRate = fraction(name, value);
                case "--deleted-rate" -> deletedRate = fraction(name, value);
                case "--throttle-ms" -> throttleMs = integer(name, value);
                case "--partitions" -> partitions = integer(name, value);
                case "--bursts" -> bursts = integer(name, value);
                case "--seed" -> seed = longInteger(name, value);
                case "--api-latency-ms" -> apiLatencyMs = integer(name, value);
                case "--updates-per-article" -> updatesPerArticle = integer(name, value);
                case "--max-in-flight" -> maxInFlight = integer(name, value);
                default -> throw new UsageException("unknown option: " + arg);
            }
        }
        return new ReplayOptions(events, idleMs, resetRate, deletedRate, throttleMs, partitions, bursts, seed,
                apiLatencyMs, updatesPerArticle, maxInFlight, json);
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, got '" + value + "'");
        }
    }

    private static long longInteger(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, got '" + value + "'");
        }
    }

    private static double fraction(String name, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number such as 0.05, got '" + value + "'");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new UsageException(message);
        }
    }
}
