package dev.resilienthttp.benchmarks;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the calls of one client under one fault came to: how many succeeded, how long each took from first byte
 * sent to final outcome (retries and waits included), and why the others failed. Thread-safe.
 */
final class Tally {
    private long[] latencies = new long[1024];
    private int calls;
    private int succeeded;
    private final Map<String, Integer> failures = new TreeMap<>();

    /** A call that ended with {@code status} after {@code nanos}; anything but 2xx is a failure. */
    synchronized void status(int status, long nanos) {
        if (status >= 200 && status < 300) {
            add(nanos);
            succeeded++;
        } else {
            failed("HTTP " + status, nanos);
        }
    }

    /** A call that failed for {@code reason} after {@code nanos}. */
    synchronized void failed(String reason, long nanos) {
        add(nanos);
        failures.merge(reason, 1, Integer::sum);
    }

    /** The summary: counts, goodput over {@code elapsedNanos} of wall-clock time, latency percentiles. */
    synchronized Summary summary(long elapsedNanos) {
        long[] sorted = new long[calls];
        System.arraycopy(latencies, 0, sorted, 0, calls);
        sorted = Stats.sorted(sorted);
        return new Summary(calls, succeeded, succeeded / (elapsedNanos / 1e9),
                calls == 0 ? 0 : Stats.percentile(sorted, 50) / 1e6,
                calls == 0 ? 0 : Stats.percentile(sorted, 99) / 1e6,
                calls == 0 ? 0 : sorted[calls - 1] / 1e6,
                Map.copyOf(failures));
    }

    private void add(long nanos) {
        if (calls == latencies.length) {
            long[] grown = new long[calls * 2];
            System.arraycopy(latencies, 0, grown, 0, calls);
            latencies = grown;
        }
        latencies[calls++] = nanos;
    }

    /**
     * @param goodput   successful calls per second of wall-clock time
     * @param p50Millis median latency of all calls, failed ones included
     * @param p99Millis 99th percentile (nearest rank) of all calls
     * @param failures  failed calls by reason
     */
    record Summary(int calls, int succeeded, double goodput, double p50Millis, double p99Millis, double maxMillis,
                   Map<String, Integer> failures) {
        double successPercent() {
            return calls == 0 ? 0 : 100.0 * succeeded / calls;
        }
    }
}
