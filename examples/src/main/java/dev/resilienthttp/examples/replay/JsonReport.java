package dev.resilienthttp.examples.replay;

import com.google.gson.GsonBuilder;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result as one JSON object, for scripts:
 * <pre>{@code
 * {"events": N,
 *  "clients": {"jdk-httpclient": {...}, "resilient-http": {...}},
 *  "settings": {...}}
 * }</pre>
 * where each client has {@code succeeded}, {@code error_topic}, {@code dead_letter}, {@code lost},
 * {@code duplicates}, {@code dead_letter_reasons} (kind to count), and more; {@code succeeded + error_topic +
 * dead_letter + lost} is {@code events}. {@code events_per_second} is the client's {@link Throughput};
 * {@code out_of_order} the updates the API enriched after a higher version of the same article, in that client's
 * run.
 */
final class JsonReport {
    private JsonReport() {
    }

    static void print(PrintStream out, ReplayOptions options, Scenario scenario, List<RunResult> runs) {
        Map<String, Object> clients = new LinkedHashMap<>();
        for (RunResult run : runs) {
            Map<String, Object> client = new LinkedHashMap<>();
            client.put("succeeded", run.counts().succeeded());
            client.put("error_topic", run.counts().errorTopic());
            client.put("dead_letter", run.counts().deadLetter());
            client.put("lost", run.counts().lost());
            client.put("duplicates", run.duplicates());
            client.put("dead_letter_reasons", new TreeMap<>(run.deadLetterKinds()));
            client.put("error_topic_copies", run.errorTopicCopies());
            client.put("failed_attempts", new TreeMap<>(run.failedAttempts()));
            client.put("origin_requests", run.originRequests());
            client.put("seconds", Math.round(run.elapsed().toMillis() / 100.0) / 10.0);
            client.put("events_per_second", Math.round(run.throughput().eventsPerSecond() * 10) / 10.0);
            client.put("out_of_order", run.outOfOrder());
            client.put("settled", run.settled());
            if (!run.missing().isEmpty()) {
                client.put("missing", run.missing());
            }
            if (run.failure() != null) {
                client.put("failure", run.failure());
            }
            clients.put(run.client(), client);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", options.seed());
        settings.put("idle_ms", options.idleMs());
        settings.put("reset_rate", options.resetRate());
        settings.put("deleted_rate", options.deletedRate());
        settings.put("deleted_articles", scenario.deleted().size());
        settings.put("throttle_ms", options.throttleMs());
        settings.put("partitions", options.partitions());
        settings.put("bursts", options.bursts());
        settings.put("api_latency_ms", options.apiLatencyMs());
        settings.put("updates_per_article", options.updatesPerArticle());
        settings.put("max_in_flight", options.maxInFlight());
        settings.put("articles", options.articles());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("events", options.events());
        root.put("clients", clients);
        root.put("settings", settings);
        out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root));
    }
}
