package dev.resilienthttp.examples.replay;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** The side-by-side table of the two runs, then samples of {@code fail_reason}, for people. */
final class TableReport {
    private static final String ROW = "%-38s%16s%16s%n";

    private TableReport() {
    }

    static void print(PrintStream out, ReplayOptions options, Scenario scenario, List<RunResult> runs) {
        out.printf("Incident replay: %d article-update events, seed %d, %d partitions, %d bursts%n",
                options.events(), options.seed(), options.partitions(), options.bursts());
        if (options.updatesPerArticle() > 1 || options.apiLatencyMs() > 0) {
            out.printf("Load: %d articles, %d updates each; the API answers after %d ms%n", options.articles(),
                    options.updatesPerArticle(), options.apiLatencyMs());
        }
        out.printf("Faults: idle_reset %d ms (a NAT forgets idle connections), reset_peer on %s %% of new "
                        + "connections,%n        %d deleted articles (404), %s%n%n",
                options.idleMs(), percent(options.resetRate()), scenario.deleted().size(),
                options.throttleMs() == 0 ? "no 429" : "429 with Retry-After: 1 for " + options.throttleMs() + " ms");
        out.printf(ROW, "", runs.get(0).client(), runs.get(1).client());
        row(out, "succeeded", runs, r -> r.counts().succeeded());
        row(out, "error topic (still waiting)", runs, r -> r.counts().errorTopic());
        row(out, "dead-letter topic", runs, r -> r.counts().deadLetter());
        kinds(out, runs, RunResult::deadLetterKinds);
        row(out, "lost", runs, r -> r.counts().lost());
        row(out, "duplicates seen by the origin", runs, RunResult::duplicates);
        out.println();
        row(out, "error-topic copies (failed passes)", runs, RunResult::errorTopicCopies);
        row(out, "HTTP attempts that failed", runs,
                r -> r.failedAttempts().values().stream().mapToInt(Integer::intValue).sum());
        kinds(out, runs, RunResult::failedAttempts);
        row(out, "requests that reached the API", runs, RunResult::originRequests);
        out.printf(ROW, "run time", seconds(runs.get(0)), seconds(runs.get(1)));
        out.printf(ROW, "events per second (first pass)", perSecond(runs.get(0)), perSecond(runs.get(1)));
        row(out, "updates out of order at the API", runs, RunResult::outOfOrder);

        out.printf("%nfail_reason samples, dead-letter topic (one per kind):%n");
        samples(out, runs, RunResult::deadLetterSamples);
        out.printf("%nfail_reason samples, error topic (one per kind):%n");
        samples(out, runs, RunResult::errorSamples);

        out.println();
        for (RunResult run : runs) {
            out.printf("%s: %s%n", run.client(), run.description());
        }
        out.println("The proxy's reset draws are not seeded: counts vary a little between runs of one seed.");
        out.println("Events per second: first passes done from the first burst's release to the last first pass "
                + "(quiet gaps included).");
        for (RunResult run : runs) {
            if (!run.settled() || run.failure() != null) {
                out.printf("%s did not account for every event within its bound%s; missing: %s%n", run.client(),
                        run.failure() == null ? "" : " (pipeline failed: " + run.failure() + ")", run.missing());
            }
        }
    }

    private static void row(PrintStream out, String label, List<RunResult> runs, ToIntFunction<RunResult> value) {
        out.printf(ROW, label, value.applyAsInt(runs.get(0)), value.applyAsInt(runs.get(1)));
    }

    /** One indented row per kind found in either run. */
    private static void kinds(PrintStream out, List<RunResult> runs,
                              Function<RunResult, Map<String, Integer>> byKind) {
        TreeSet<String> kinds = new TreeSet<>();
        runs.forEach(run -> kinds.addAll(byKind.apply(run).keySet()));
        for (String kind : kinds) {
            row(out, "  " + kind, runs, run -> byKind.apply(run).getOrDefault(kind, 0));
        }
    }

    private static void samples(PrintStream out, List<RunResult> runs,
                                Function<RunResult, Map<String, Ledger.FailedCopy>> samples) {
        boolean any = false;
        for (RunResult run : runs) {
            for (Map.Entry<String, Ledger.FailedCopy> sample : new TreeMap<>(samples.apply(run)).entrySet()) {
                out.printf("  %-15s %-17s fail_count %d%n      %s%n", run.client(), sample.getKey(),
                        sample.getValue().failCount(), sample.getValue().reason());
                any = true;
            }
        }
        if (!any) {
            out.println("  none");
        }
    }

    /** 0.03 as "3", 0.025 as "2.5". */
    private static String percent(double fraction) {
        return BigDecimal.valueOf(fraction * 100).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    private static String perSecond(RunResult run) {
        return String.format("%.1f", run.throughput().eventsPerSecond());
    }

    private static String seconds(RunResult run) {
        return String.format("%.1f s", run.elapsed().toMillis() / 1000.0);
    }
}
