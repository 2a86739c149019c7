package dev.resilienthttp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** What a result must be committed with: when, on which JDK and machine, and how busy the machine was. */
record Machine(OffsetDateTime time, String loadAverage) {
    /** The machine now; the load average is Linux's {@code /proc/loadavg} (1, 5, 15 minutes). */
    static Machine now() {
        return new Machine(OffsetDateTime.now(ZoneOffset.UTC).withNano(0), firstLine("/proc/loadavg", 3));
    }

    /** A Markdown list: date, JDK, CPU, memory, OS, and the load averages before this run and after {@code end}. */
    String describe(Machine end) {
        return "- Date: " + time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " to "
                + end.time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "\n"
                + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")\n"
                + "- CPU: " + Runtime.getRuntime().availableProcessors() + " × " + cpuModel() + "; memory "
                + memory() + "\n"
                + "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + "\n"
                + "- Load average (1, 5, 15 min): " + loadAverage + " before, " + end.loadAverage + " after\n";
    }

    private static String cpuModel() {
        return lines("/proc/cpuinfo").stream().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static String memory() {
        return lines("/proc/meminfo").stream().filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / (1024 * 1024) + " GiB")
                .findFirst().orElse("unknown");
    }

    private static String firstLine(String file, int words) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            return "unknown";
        }
        String[] parts = lines.get(0).trim().split("\\s+");
        return String.join(" ", List.of(parts).subList(0, Math.min(words, parts.length)));
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
