package dev.resilienthttp.benchmarks;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns {@link OverheadBenchmark}'s results into the README's table: per thread count and client, the median over
 * forks of each fork's median iteration, the forks' range, the ratio to {@code rawJdk}, bytes per call net of the
 * server, and the failures counted.
 */
final class OverheadTable {
    /** The targets (issue 16): resilientStandard is this much faster than the raw JDK client with its defaults... */
    static final double THROUGHPUT_TARGET = 1.3;
    /** ...and allocates at most this many bytes more per call. */
    static final double ALLOCATION_TARGET = 1024;

    private final Map<Integer, Map<Client, Row>> rows = new TreeMap<>();

    /** Adds one JMH run: one mode, one thread count, every method. */
    void add(Mode mode, int threads, Collection<RunResult> results) {
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            Client client = Client.named(benchmark.substring(benchmark.lastIndexOf('.') + 1));
            Row row = rows.computeIfAbsent(threads, t -> new EnumMap<>(Client.class))
                    .computeIfAbsent(client, c -> new Row());
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                List<Double> iterations = new ArrayList<>();
                for (IterationResult iteration : fork.getIterationResults()) {
                    iterations.add(iteration.getPrimaryResult().getScore());
                }
                Map<String, ?> secondary = fork.getSecondaryResults();
                if (mode == Mode.Throughput) {
                    row.opsPerSecond.add(Stats.median(iterations));
                    row.clientBytes.add(score(secondary, "alloc.client.norm"));
                    row.serverBytes.add(score(secondary, "alloc.server.norm"));
                } else {
                    row.microsPerOp.add(Stats.median(iterations));
                }
                row.calls += (long) score(secondary, "calls");
                row.transportFailures += (long) score(secondary, "transportFailures");
                row.statusFailures += (long) score(secondary, "statusFailures");
            }
        }
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Integer, Map<Client, Row>> byThreads : rows.entrySet()) {
            int threads = byThreads.getKey();
            Map<Client, Row> clients = byThreads.getValue();
            Row raw = clients.get(Client.RAW_JDK);
            out.append("### ").append(threads).append(threads == 1 ? " thread\n\n" : " threads\n\n")
                    .append("| client | ops/s, median of forks | forks' range | × rawJdk | µs/op | "
                            + "client B/op | Δ B/op vs rawJdk | server B/op | failed calls / calls |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<Client, Row> entry : clients.entrySet()) {
                Row row = entry.getValue();
                double ops = Stats.median(row.opsPerSecond);
                double bytes = Stats.median(row.clientBytes);
                out.append("| `").append(entry.getKey().method()).append("` | ")
                        .append(format("%,.0f", ops)).append(" | ")
                        .append(format("%,.0f–%,.0f", Stats.min(row.opsPerSecond), Stats.max(row.opsPerSecond)))
                        .append(" | ").append(raw == null ? "" : format("%.3f", ops / raw.throughput())).append(" | ")
                        .append(format("%.1f", Stats.median(row.microsPerOp))).append(" | ")
                        .append(format("%,.0f", bytes)).append(" | ")
                        .append(raw == null ? "" : format("%+,.0f", bytes - raw.clientBytes())).append(" | ")
                        .append(format("%,.0f", Stats.median(row.serverBytes))).append(" | ")
                        .append(row.failures()).append(" |\n");
            }
            out.append('\n').append(targets(clients)).append("\n\n");
        }
        return out.toString();
    }

    private static String targets(Map<Client, Row> clients) {
        Row raw = clients.get(Client.RAW_JDK);
        Row standard = clients.get(Client.RESILIENT_STANDARD);
        if (raw == null || standard == null) {
            return "Targets: not measured (rawJdk and resilientStandard must both run).";
        }
        double ratio = standard.throughput() / raw.throughput();
        double extra = standard.clientBytes() - raw.clientBytes();
        return format("Targets: resilientStandard at %.3f × rawJdk throughput (target ≥ %.2f): %s; "
                        + "%+,.0f B/op over rawJdk (target ≤ +%,.0f): %s.",
                ratio, THROUGHPUT_TARGET, ratio >= THROUGHPUT_TARGET ? "met" : "MISSED",
                extra, ALLOCATION_TARGET, extra <= ALLOCATION_TARGET ? "met" : "MISSED");
    }

    /** A secondary result by label (JMH's are {@code Map<String, Result>}, raw). */
    private static double score(Map<String, ?> results, String label) {
        for (Map.Entry<String, ?> result : results.entrySet()) {
            if (result.getKey().endsWith(label)) {
                return ((Result<?>) result.getValue()).getScore();
            }
        }
        return Double.NaN;
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    /** One client at one thread count, over both modes' forks. */
    private static final class Row {
        final List<Double> opsPerSecond = new ArrayList<>();
        final List<Double> microsPerOp = new ArrayList<>();
        final List<Double> clientBytes = new ArrayList<>();
        final List<Double> serverBytes = new ArrayList<>();
        long calls;
        long transportFailures;
        long statusFailures;

        double throughput() {
            return Stats.median(opsPerSecond);
        }

        double clientBytes() {
            return Stats.median(clientBytes);
        }

        String failures() {
            String counted = format("%,d / %,d", transportFailures + statusFailures, calls);
            return transportFailures + statusFailures == 0 ? counted
                    : counted + format(" (%.1f per 100 000)", 100_000.0 * (transportFailures + statusFailures) / calls);
        }
    }
}
