package dev.resilienthttp.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@link FaultRun}'s results as a Markdown table per fault, and as JSON. */
final class FaultReport {
    private final List<Row> rows = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        Fault current = null;
        for (Row row : rows) {
            if (row.fault != current) {
                current = row.fault;
                out.append(out.length() == 0 ? "" : "\n").append("### ").append(current.description()).append(" — ")
                        .append(current.users()).append(" threads\n\n")
                        .append("| client | succeeded / calls | goodput, calls/s | p50 ms | p99 ms | max ms | "
                                + "failures | origin requests | keys seen twice |\n")
                        .append("|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
            }
            Tally.Summary s = row.summary;
            out.append(format("| `%s` | %d / %d (%.1f %%) | %,.0f | %.2f | %.1f | %.0f | %s | %d | %d |%n",
                    row.client.method(), s.succeeded(), s.calls(), s.successPercent(), s.goodput(), s.p50Millis(),
                    s.p99Millis(), s.maxMillis(), failures(s.failures(), row.finished), row.originRequests,
                    row.duplicateKeys));
        }
        return out.toString();
    }

    String json() {
        return rows.stream().map(Row::json).collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
    }

    private static String failures(Map<String, Integer> failures, boolean finished) {
        String listed = failures.isEmpty() ? "none" : failures.entrySet().stream()
                .map(failure -> failure.getValue() + " × " + failure.getKey()).collect(Collectors.joining("; "));
        return finished ? listed : listed + "; STOPPED at the time limit";
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** One client under one fault. */
    record Row(Fault fault, Client client, Tally.Summary summary, long originRequests, long duplicateKeys,
               boolean finished) {
        String oneLine() {
            return format("%s / %s: %d of %d succeeded, %.0f calls/s, p99 %.1f ms, failures: %s",
                    fault.description(), client.method(), summary.succeeded(), summary.calls(), summary.goodput(),
                    summary.p99Millis(), failures(summary.failures(), finished));
        }

        String json() {
            String failures = summary.failures().entrySet().stream()
                    .map(failure -> quote(failure.getKey()) + ": " + failure.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
            return format("{\"fault\": %s, \"client\": %s, \"calls\": %d, \"succeeded\": %d, "
                            + "\"goodputPerSecond\": %.1f, \"p50Millis\": %.3f, \"p99Millis\": %.3f, "
                            + "\"maxMillis\": %.3f, \"failures\": %s, \"originRequests\": %d, "
                            + "\"duplicateKeys\": %d, \"finished\": %b}",
                    quote(fault.name()), quote(client.method()), summary.calls(), summary.succeeded(),
                    summary.goodput(), summary.p50Millis(), summary.p99Millis(), summary.maxMillis(), failures,
                    originRequests, duplicateKeys, finished);
        }
    }
}
