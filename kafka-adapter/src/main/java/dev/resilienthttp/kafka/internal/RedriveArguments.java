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

    public final Map<String, Object> clientConfig = new HashMap<>();
    public final List<String> kinds = new ArrayList<>();
    public String from;
    public String to;
    public String group;
    public String reasonContains = "";
    public Double rate;
    public Long limit;
    public Long maxIdleSeconds;
    public boolean dryRun;
    public boolean help;

    private RedriveArguments() {
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException with a message for the user when an argument is wrong or missing
     */
    public static RedriveArguments parse(String[] args) {
        RedriveArguments parsed = new RedriveArguments();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help":
                case "-h":
                    parsed.help = true;
                    return parsed;
                case "--dry-run":
                    parsed.dryRun = true;
                    break;
                case "--bootstrap-server":
                    parsed.clientConfig.put("bootstrap.servers", value(args, ++i, arg));
                    break;
                case "--from":
                    parsed.from = value(args, ++i, arg);
                    break;
                case "--to":
                    parsed.to = value(args, ++i, arg);
                    break;
                case "--group":
                    parsed.group = value(args, ++i, arg);
                    break;
                case "--kind":
                    for (String kind : value(args, ++i, arg).split(",")) {
                        if (!kind.isBlank()) {
                            parsed.kinds.add(kind.trim());
                        }
                    }
                    break;
                case "--reason-contains":
                    parsed.reasonContains = value(args, ++i, arg);
                    break;
                case "--rate":
                    parsed.rate = number(value(args, ++i, arg), arg);
                    break;
                case "--limit":
                    parsed.limit = number(value(args, ++i, arg), arg).longValue();
                    break;
                case "--max-idle":
                    parsed.maxIdleSeconds = number(value(args, ++i, arg), arg).longValue();
                    break;
                case "--command-config":
                    parsed.clientConfig.putAll(properties(Path.of(value(args, ++i, arg))));
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (parsed.from == null) {
            throw new IllegalArgumentException("--from is required");
        }
        if (!parsed.clientConfig.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("--bootstrap-server is required");
        }
        return parsed;
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
