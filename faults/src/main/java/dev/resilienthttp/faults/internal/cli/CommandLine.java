package dev.resilienthttp.faults.internal.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code toxiproxy-server}'s flags, spelled {@code --flag value}, {@code --flag=value},
 * {@code -flag value} or {@code -flag=value} (Go's flag package accepts all four, so scripts
 * written for the Go server work unchanged).
 */
public final class CommandLine {
    /** Toxiproxy's own default port. */
    public static final int DEFAULT_PORT = 8474;
    /** Ours binds loopback only by default, unlike Go's {@code localhost}, which may resolve elsewhere. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Parsed options; {@code help} and {@code version} ask to print and exit. */
    public record Options(String host, int port, Optional<Path> config, boolean help, boolean version) {
    }

    private CommandLine() {
    }

    public static Options parse(String... args) throws UsageException {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        Optional<Path> config = Optional.empty();
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String flag = arg.replaceFirst("^--?", "");
            String value = null;
            int equals = flag.indexOf('=');
            if (equals >= 0) {
                value = flag.substring(equals + 1);
                flag = flag.substring(0, equals);
            }
            switch (flag) {
                case "help":
                case "h":
                    help = true;
                    break;
                case "version":
                    version = true;
                    break;
                case "host":
                    host = value != null ? value : valueAfter(args, ++i, flag);
                    if (host.isEmpty()) {
                        throw new UsageException("flag --host needs a host name or address");
                    }
                    break;
                case "port":
                    port = port(value != null ? value : valueAfter(args, ++i, flag));
                    break;
                case "seed":
                    // Go 2.12 accepts it but does not seed the toxics' random source either.
                    seed(value != null ? value : valueAfter(args, ++i, flag));
                    break;
                case "config":
                    config = Optional.of(Path.of(value != null ? value : valueAfter(args, ++i, flag)));
                    break;
                default:
                    throw new UsageException("unknown flag: " + arg);
            }
        }
        return new Options(host, port, config, help, version);
    }

    public static String usage() {
        return String.join("\n",
                "Usage: java -jar resilient-http-faults-server.jar [--host HOST] [--port PORT] [--config FILE]",
                "",
                "An in-JVM server speaking Toxiproxy 2.x's REST API (a drop-in for toxiproxy-server).",
                "",
                "  --host HOST     address for the REST API (default " + DEFAULT_HOST + ")",
                "  --port PORT     port for the REST API (default " + DEFAULT_PORT + ", 0 picks a free one)",
                "  --config FILE   JSON array of proxies to create at start, as POST /populate takes",
                "  --seed N        accepted for compatibility and ignored (as Toxiproxy 2.12 does)",
                "  --version       print the Toxiproxy API version served and exit",
                "  --help          print this help and exit",
                "",
                "Flags may also be written -flag, --flag=value or -flag=value.");
    }

    private static String valueAfter(String[] args, int index, String flag) throws UsageException {
        if (index >= args.length) {
            throw new UsageException("flag --" + flag + " needs a value");
        }
        return args[index];
    }

    private static void seed(String text) throws UsageException {
        try {
            Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value \"" + text + "\" for flag --seed: must be an integer");
        }
    }

    private static int port(String text) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new UsageException("invalid value \"" + text + "\" for flag --port: must be an integer from 0 to 65535");
    }
}
