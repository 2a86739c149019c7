package dev.resilienthttp.kafka;

import dev.resilienthttp.kafka.internal.RedriveArguments;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The command line for {@link Redrive}:
 * <pre>{@code
 * java -cp "$CLASSPATH" dev.resilienthttp.kafka.RedriveCommand --bootstrap-server broker:9092 \
 *      --from article-update-dlt --kind CLIENT_ERROR --rate 20 --dry-run
 * }</pre>
 * Prints one line with the counts. Exit status: 0 when done, 1 when the run failed (what moved before the failure is
 * committed, so running it again resumes), 2 for a wrong command line.
 */
public final class RedriveCommand {
    private RedriveCommand() {
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        System.exit(status);
    }

    /** Runs the command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        RedriveArguments.Parsed arguments;
        try {
            arguments = RedriveArguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("redrive: " + e.getMessage());
            err.println(RedriveArguments.USAGE);
            return 2;
        }
        if (arguments.help()) {
            out.println(RedriveArguments.USAGE);
            return 0;
        }
        try {
            RedriveResult result = builder(arguments).build().run();
            out.println("redrive " + arguments.from() + " -> " + (arguments.to() != null ? arguments.to()
                    : "original topics") + ": " + result);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("redrive: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("redrive failed: " + e.getMessage());
            return 1;
        }
    }

    private static Redrive.Builder builder(RedriveArguments.Parsed arguments) {
        Map<String, Object> consumer = new HashMap<>(arguments.clientConfig());
        if (arguments.group() != null) {
            consumer.put(ConsumerConfig.GROUP_ID_CONFIG, arguments.group());
        }
        Redrive.Builder builder = Redrive.builder().consumerConfig(consumer).producerConfig(arguments.clientConfig())
                .from(arguments.from()).kinds(arguments.kinds()).reasonContains(arguments.reasonContains())
                .dryRun(arguments.dryRun());
        if (arguments.to() != null) {
            builder.to(arguments.to());
        }
        if (arguments.rate() != null) {
            builder.ratePerSecond(arguments.rate());
        }
        if (arguments.limit() != null) {
            builder.limit(arguments.limit());
        }
        if (arguments.maxIdleSeconds() != null) {
            builder.maxIdle(Duration.ofSeconds(arguments.maxIdleSeconds()));
        }
        return builder;
    }
}
