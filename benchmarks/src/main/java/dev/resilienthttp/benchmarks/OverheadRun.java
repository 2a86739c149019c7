package dev.resilienthttp.benchmarks;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The committed overhead run: {@link OverheadBenchmark} at 1 and 4 threads, every method in the same run, with
 * {@code -prof gc} and {@link ServerAllocationProfiler}. Writes one JMH JSON file per thread count and mode, and
 * {@code overhead.md} (machine, load, settings, tables).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.resilienthttp.benchmarks.OverheadRun [--quick] [--out DIR]
 * }</pre>
 *
 * <p>Settings, chosen for these 2-vCPU machines: the raw JDK client's throughput varies 3 200–8 700 ops/s from one
 * iteration to the next, so many forks and medians; bytes/op is stable to 1 %. The forks are interleaved: the
 * throughput is measured in {@value #ROUNDS} rounds, each one fork of every method at both thread counts, so that
 * a drift in the machine over the run (its load average climbs from under 1 to over 5 as the run's own threads
 * keep both CPUs busy) falls on every client alike rather than on the methods JMH happens to run last. The
 * warm-up is 10 × 3 s: at 4 threads the JIT shares the two CPUs with the load, and the clients with more code to
 * compile (the wrapper with its policy) climb for some 18 s before their throughput settles, against some 12 s
 * for the raw client. 5 × 2 s measured per fork. The average time, which no target depends on, is one round.
 * 5 methods × 2 thread counts × ({@value #ROUNDS} + 1) forks ≈ 45 minutes. {@code --quick}: 1 round, 1 × 1 s +
 * 2 × 1 s, to check that everything runs (about 2 minutes).
 */
public final class OverheadRun {
    static final int[] THREADS = {1, 4};
    /** Forks per method for the throughput, one per round. */
    static final int ROUNDS = 5;

    private OverheadRun() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = List.of(args).contains("--quick");
        int out = List.of(args).indexOf("--out");
        Path dir = Path.of(out >= 0 && out + 1 < args.length ? args[out + 1] : "benchmarks/results");
        Files.createDirectories(dir);

        Machine before = Machine.now();
        OverheadTable table = new OverheadTable();
        Map<String, List<RunResult>> byFile = new LinkedHashMap<>();
        for (Mode mode : List.of(Mode.Throughput, Mode.AverageTime)) {
            int rounds = mode == Mode.Throughput && !quick ? ROUNDS : 1;
            for (int round = 1; round <= rounds; round++) {
                for (int threads : THREADS) {
                    Collection<RunResult> results = new Runner(options(mode, threads, quick).build()).run();
                    table.add(mode, threads, results);
                    String file = file(mode, threads);
                    byFile.computeIfAbsent(file, f -> new ArrayList<>()).addAll(results);
                    writeJson(dir.resolve(file), byFile.get(file));   // after every round: a long run may be cut
                }
            }
        }
        Machine after = Machine.now();

        String report = "# Overhead: resilient-http against the raw JDK client and peers\n\n"
                + before.describe(after) + "\n"
                + "- Command: `java -cp " + System.getProperty("java.class.path") + " " + OverheadRun.class.getName()
                + String.join("", List.of(args).stream().map(arg -> " " + arg).toList()) + "`\n"
                + "- JMH: " + settings(quick) + "\n"
                + "- Raw results: " + String.join(", ", byFile.keySet().stream().map(f -> "`" + f + "`").toList())
                + " (one entry per method and round)\n\n"
                + table.markdown();
        Files.writeString(dir.resolve("overhead.md"), report);
        System.out.println(report);
    }

    private static void writeJson(Path file, Collection<RunResult> results) throws IOException {
        try (PrintStream json = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
        }
    }

    private static String file(Mode mode, int threads) {
        return "overhead-" + mode.shortLabel() + "-" + threads + "-thread" + (threads == 1 ? "" : "s") + ".json";
    }

    static String settings(boolean quick) {
        return quick
                ? "QUICK CHECK ONLY: 1 fork, warm-up 1 × 1 s, measurement 2 × 1 s; numbers not for comparison"
                : "throughput in " + ROUNDS + " rounds, each one fork of every method at 1 then 4 threads (" + ROUNDS
                + " forks per method, interleaved in time); average time in one such round; warm-up 10 × 3 s,"
                + " measurement 5 × 2 s per fork; a fork's score is the median of its iterations, the table gives"
                + " the median of the forks and their range; heap -Xms1g -Xmx1g; -prof gc and"
                + " ServerAllocationProfiler";
    }

    private static ChainedOptionsBuilder options(Mode mode, int threads, boolean quick) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(OverheadBenchmark.class.getName() + "\\.")
                .mode(mode)
                .timeUnit(mode == Mode.Throughput ? TimeUnit.SECONDS : TimeUnit.MICROSECONDS)
                .threads(threads)
                .addProfiler(GCProfiler.class)
                .addProfiler(ServerAllocationProfiler.class)
                .shouldFailOnError(true);
        if (quick) {
            return options.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(1));
        }
        return options.forks(1).warmupIterations(10).warmupTime(TimeValue.seconds(3))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2));
    }
}
