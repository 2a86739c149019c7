package dev.resilienthttp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where an {@link OverheadBenchmark} method's CPU time or bytes go, per call, from async-profiler's collapsed
 * stacks: split by thread (the calling thread, the JDK client's selector and executor threads, the server, the
 * JIT, the rest), and the calling thread split again into resilient-http's own code, the JDK's {@code send} under
 * it, and the request building and benchmark loop around it. Profiles side by side, so that the raw client and the
 * wrapper compare line by line; then the wrapper's own stack tops, the code the overhead is.
 *
 * <pre>{@code
 * java -jar benchmarks.jar 'OverheadBenchmark.(rawJdk|resilientStandard)$' -t 1 -f 1 -wi 8 -w 3 -i 5 -r 2 -bm thrpt \
 *      -prof "async:libPath=.../libasyncProfiler.so;output=collapsed;event=cpu;interval=1000000;dir=/tmp/prof"
 * java -cp benchmarks.jar dev.resilienthttp.benchmarks.ProfileSummary --interval-ns 1000000 \
 *      rawJdk /tmp/prof/...rawJdk-Throughput/collapsed-cpu.csv 27609 \
 *      resilientStandard /tmp/prof/...resilientStandard-Throughput/collapsed-cpu.csv 28686
 * }</pre>
 *
 * <p>The calls are JMH's {@code calls} counter for the measured iterations, which are the ones profiled. With
 * {@code --interval-ns} the counts are CPU samples and the figures µs a call; without, the profile is
 * {@code event=alloc} with {@code rawCommand=total}, the counts are bytes and the figures bytes a call.
 */
public final class ProfileSummary {
    /** Frames of the code measured: core and the retry module (resilience4j counted with it, as retry's). */
    private static final List<String> OWN = List.of("dev/resilienthttp/core/", "dev/resilienthttp/retry/",
            "io/github/resilience4j/");
    private static final int OWN_TOPS = 12;

    private ProfileSummary() {
    }

    /** One profile: its label, and each part's count per call. */
    record Profile(String label, Map<String, Double> parts, Map<String, Double> ownTops) {
    }

    public static void main(String[] args) throws IOException {
        List<String> rest = new ArrayList<>(List.of(args));
        double interval = 0;
        if (!rest.isEmpty() && rest.get(0).equals("--interval-ns")) {
            interval = Double.parseDouble(rest.get(1));
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() % 3 != 0) {
            System.err.println("usage: ProfileSummary [--interval-ns N] (label collapsed-file calls)...");
            System.exit(2);
        }
        double unit = interval == 0 ? 1 : interval / 1_000;   // bytes, or µs per sample
        List<Profile> profiles = new ArrayList<>();
        for (int i = 0; i < rest.size(); i += 3) {
            try (Stream<String> lines = Files.lines(Path.of(rest.get(i + 1)))) {
                profiles.add(summarize(rest.get(i), lines.toList(), Long.parseLong(rest.get(i + 2)), unit));
            }
        }
        System.out.print(markdown(profiles, interval == 0 ? "B/call" : "µs/call"));
    }

    /** {@code lines} of one collapsed profile, as figures per call. */
    static Profile summarize(String label, List<String> lines, long calls, double unit) {
        Map<String, Double> parts = new LinkedHashMap<>();
        for (Part part : Part.values()) {
            parts.put(part.title, 0.0);
        }
        Map<String, Double> tops = new TreeMap<>();
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String[] frames = line.substring(0, space).split(";");
            double perCall = Long.parseLong(line.substring(space + 1)) * unit / calls;
            Part part = Part.of(frames);
            parts.merge(part.title, perCall, Double::sum);
            if (part == Part.OWN) {
                tops.merge(ownTop(frames), perCall, Double::sum);
            }
        }
        return new Profile(label, parts, tops);
    }

    /** The innermost frame of resilient-http's, and the leaf it called into (for bytes: the type allocated). */
    private static String ownTop(String[] frames) {
        int own = frames.length - 1;
        while (own > 0 && !isOwn(frames[own])) {
            own--;
        }
        String leaf = frames[frames.length - 1];
        return simple(frames[own]) + (own == frames.length - 1 ? "" : " → " + simple(leaf));
    }

    private static String simple(String frame) {
        return frame.substring(frame.lastIndexOf('/') + 1).replace("_[i]", "").replace("_[k]", "");
    }

    private static boolean isOwn(String frame) {
        return OWN.stream().anyMatch(frame::startsWith);
    }

    private static boolean any(String[] frames, String part) {
        for (String frame : frames) {
            if (frame.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** Where a stack runs. The first that matches wins, in this order. */
    enum Part {
        /** The JDK's own {@code send}, when resilient-http called it: what the raw client does too. */
        JDK_SEND_UNDER_OWN("calling thread: the JDK's send, under resilient-http"),
        OWN("calling thread: resilient-http and resilience4j, outside the JDK's send"),
        CALLER_REST("calling thread: the JDK's send (raw), building the request, the loop"),
        WATCHDOG("resilient-http's deadline watchdog"),
        SELECTOR("JDK client: selector thread"),
        SERVER("server (Jetty)"),
        JIT("JIT compiler threads"),
        JDK_EXECUTOR("JDK client: executor threads"),
        OTHER("GC, VM and other threads");

        final String title;

        Part(String title) {
            this.title = title;
        }

        static Part of(String[] frames) {
            if (any(frames, "jmh_generated")) {
                boolean own = false;
                for (String frame : frames) {
                    if (isOwn(frame)) {
                        own = true;
                    } else if (own && frame.startsWith("jdk/internal/net/http/HttpClient")
                            && frame.endsWith(".send")) {
                        return JDK_SEND_UNDER_OWN;
                    }
                }
                return own ? OWN : CALLER_REST;
            }
            if (any(frames, "DeadlineWatchdog")) {
                return WATCHDOG;
            }
            if (any(frames, "HttpClientImpl$SelectorManager")) {
                return SELECTOR;
            }
            if (any(frames, "org/eclipse/jetty/")) {
                return SERVER;
            }
            if (any(frames, "CompileBroker")) {
                return JIT;
            }
            if (any(frames, "java/util/concurrent/ThreadPoolExecutor")) {
                return JDK_EXECUTOR;   // the JDK client's cached pool; JMH's own workers run jmh_generated code
            }
            return OTHER;
        }
    }

    static String markdown(List<Profile> profiles, String unit) {
        StringBuilder out = new StringBuilder("| part, " + unit + " |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Profile profile : profiles) {
            out.append(" `").append(profile.label()).append("` |");
            rule.append("---:|");
        }
        out.append('\n').append(rule).append('\n');
        for (Part part : Part.values()) {
            out.append("| ").append(part.title).append(" |");
            profiles.forEach(p -> out.append(' ').append(format(p.parts().get(part.title))).append(" |"));
            out.append('\n');
        }
        out.append("| **all** |");
        profiles.forEach(p -> out.append(" **").append(format(p.parts().values().stream()
                .mapToDouble(Double::doubleValue).sum())).append("** |"));
        out.append("\n");
        for (Profile profile : profiles) {
            if (profile.ownTops().isEmpty()) {
                continue;
            }
            out.append("\n`").append(profile.label()).append("`, resilient-http's own, by innermost frame (")
                    .append(unit).append("):\n\n");
            profile.ownTops().entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(OWN_TOPS)
                    .forEach(top -> out.append("- ").append(format(top.getValue())).append("  ")
                            .append(top.getKey()).append('\n'));
        }
        return out.toString();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.2f", value);
    }
}
