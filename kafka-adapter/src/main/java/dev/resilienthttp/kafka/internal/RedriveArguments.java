package dev.resilienthttp.kafka.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The redrive command line, parsed: Kafka's own tools' spelling ({@code --bootstrap-server}, {@code --command-config}). */
public final class RedriveArguments {
    public static final String USAGE = String.join("\n",
            "usage: redrive --bootstrap-server HOST:PORT --from DLT_TOPIC [options]",
            "  --to TOPIC              move to TOPIC (default: each record's kafka_dlt-original-topic)",
            "  --group ID              consumer group that remembers progress (default: resilient-http-redrive-<from>)",
            "  --kind KIND             only records of this rh-fail-kind (repeat, or separate with commas)",
            "  --reason-contains TEXT  only records whose reason contains TEXT (ignoring case)",
            "  --rate N                at most N records per second (default 100)",
            "  --limit N               at most N matching records in this run",
            "  --max-idle SECONDS      give up after this long without records (default 30)",
            "  --dry-run               only count what would move",
            "  --command-config FILE   client properties (security settings) for the consumer and the producer",
            "  --help                  this text");

    /**
     * The parsed command line.
     *
     * @param clientConfig   properties for both clients: the brokers, and those of {@code --command-config}
     * @param to             the target topic, or {@code null}
     * @param group          the consumer group, or {@code null} for the default
     * @param rate           records per second, or {@code null} for the default
     * @param limit          the most matching records, or {@code null} for none
     * @param maxIdleSeconds or {@code null} for the default
     */
    public record Parsed(Map<String, Object> clientConfig, List<String> kinds, String from, String to, String group,
                         String reasonContains, Double rate, Long limit, Long maxIdleSeconds, boolean dryRun,
                         boolean help) {
        public Parsed {
            clientConfig = Map.copyOf(clientConfig);
            kinds = List.copyOf(kinds);
        }
    }

    private RedriveArguments() {
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException with a message for the user when an argument is wrong or missing
     */
    public static Parsed parse(String[] args) {
        Map<String, Object> clientConfig = new HashMap<>();
        List<String> kinds = new ArrayList<>();
        String from = null;
        String to = null;
        String group = null;
        String reasonContains = "";
        Double rate = null;
        Long limit = null;
        Long maxIdleSeconds = null;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help":
                case "-h":
                    return new Parsed(Map.of(), List.of(), null, null, null, "", null, null, null, false, true);
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--bootstrap-server":
                    clientConfig.put("bootstrap.servers", value(args, ++i, arg));
                    break;
                case "--from":
                    from = value(args, ++i, arg);
                    break;
                case "--to":
                    to = value(args, ++i, arg);
                    break;
                case "--group":
                    group = value(args, ++i, arg);
                    break;
                case "--kind":
                    for (String kind : value(args, ++i, arg).split(",")) {
                        if (!kind.isBlank()) {
                            kinds.add(kind.trim());
                        }
                    }
                    break;
                case "--reason-contains":
                    reasonContains = value(args, ++i, arg);
                    break;
                case "--rate":
                    rate = number(value(args, ++i, arg), arg);
                    break;
                case "--limit":
                    limit = number(value(args, ++i, arg), arg).longValue();
                    break;
                case "--max-idle":
                    maxIdleSeconds = number(value(args, ++i, arg), arg).longValue();
                    break;
                case "--command-config":
                    clientConfig.putAll(properties(Path.of(value(args, ++i, arg))));
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (from == null) {
            throw new IllegalArgumentException("--from is required");
        }
        if (!clientConfig.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("--bootstrap-server is required");
        }
        return new Parsed(clientConfig, kinds, from, to, group, reasonContains, rate, limit, maxIdleSeconds, dryRun,
                false);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static Double number(String text, String flag) {
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + text + "'", e);
        }
    }

    private static Map<String, Object> properties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --command-config " + file + ": " + e.getMessage(), e);
        }
        Map<String, Object> config = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        return config;
    }
}
