package dev.resilienthttp.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wrapper's throughput as a share of the raw JDK client's, measured by turns in one JVM: every client is open
 * against the same server, and they take 2-second windows in turn, round after round, the order rotating each
 * round. Each round gives each client's throughput next to the raw client's of a few seconds before or after, on
 * the same machine in the same state; the share is the median over rounds of those within-round ratios.
 *
 * <p>Why, next to {@link OverheadRun}: on these 2-vCPU machines the raw client's throughput moves by ±20 % between
 * JMH forks (other tenants, the load's own drift), more than the few percent to be measured, so the forks' median
 * ratio moves by as much from run to run. Within a round the machine's state is shared, and the spread of the
 * ratios says how far the median can be trusted. The price: the clients share one JVM, so the JDK's HTTP code is
 * compiled for all three, and the loop's call to {@link Poster#post} sees three classes. Bytes per call are not
 * measured here: {@code -prof gc} in {@code OverheadRun} counts them, and they do not drift.
 *
 * <pre>{@code
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.resilienthttp.benchmarks.PairedRun \
 *      [--rounds N] [--out FILE]
 * }</pre>
 */
public final class PairedRun {
    static final List<Client> CLIENTS = List.of(Client.RAW_JDK, Client.RESILIENT_NO_RETRY, Client.RESILIENT_STANDARD);
    private static final int[] THREADS = {1, 4};
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Rounds not counted: 30 s of each client, as OverheadRun's warm-up, for the JIT to settle. */
    private static final int WARM_UP_ROUNDS = 15;
    private static final int DEFAULT_ROUNDS = 21;
    /** A bound on one thread's calls in one window, far above what loopback allows (some 30 000 a second). */
    private static final long MAX_CALLS_PER_WINDOW = 1_000_000;

    private PairedRun() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        String roundsGiven = value(options, "--rounds", String.valueOf(DEFAULT_ROUNDS));
        int rounds;
        try {
            rounds = Integer.parseInt(roundsGiven);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rounds must be a whole number, was " + roundsGiven);
        }
        if (rounds < 3) {
            throw new IllegalArgumentException("--rounds must be at least 3, was " + rounds);
        }
        Path out = Path.of(value(options, "--out", "benchmarks/results/paired.md"));

        Machine before = Machine.now();
        StringBuilder tables = new StringBuilder();
        try (LoopbackServer server = LoopbackServer.start()) {
            URI uri = server.uri(Payload.PATH);
            Map<Client, Poster> posters = new EnumMap<>(Client.class);
            try {
                for (Client client : CLIENTS) {
                    posters.put(client, client.open(uri));
                }
                for (int threads : THREADS) {
                    tables.append(measure(posters, threads, rounds).markdown(threads));
                }
            } finally {
                posters.values().forEach(Poster::close);
            }
        }
        Machine after = Machine.now();
        String report = "# Throughput by turns: resilient-http against the raw JDK client in one JVM\n\n"
                + before.describe(after) + "\n"
                + "- Command: `java " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                + " -cp " + System.getProperty("java.class.path") + " " + PairedRun.class.getName()
                + String.join("", options.stream().map(arg -> " " + arg).toList()) + "`\n"
                + "- Settings: one JVM, one server, the three clients open at once; windows of "
                + TimeUnit.NANOSECONDS.toSeconds(WINDOW_NANOS) + " s, each client one window a round, the order "
                + "rotating each round; " + WARM_UP_ROUNDS + " rounds of warm-up not counted, then " + rounds
                + " rounds; × rawJdk is the median over rounds of the client's throughput over the raw client's "
                + "in the same round, with the quartiles of those ratios\n\n"
                + tables;
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** The value after {@code flag}, or {@code otherwise} without the flag. */
    private static String value(List<String> options, String flag, String otherwise) {
        int at = options.indexOf(flag);
        if (at < 0) {
            return otherwise;
        }
        if (at + 1 >= options.size()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return options.get(at + 1);
    }

    private static Turns measure(Map<Client, Poster> posters, int threads, int rounds)
            throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "paired-run-caller");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Turns turns = new Turns();
            byte[] body = Payload.bytes();
            for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
                boolean counted = round >= WARM_UP_ROUNDS;
                for (int turn = 0; turn < CLIENTS.size(); turn++) {
                    Client client = CLIENTS.get((round + turn) % CLIENTS.size());
                    Window window = window(pool, posters.get(client), body, threads);
                    if (counted) {
                        turns.add(client, window);
                    }
                }
                System.err.printf(Locale.ROOT, "%d thread(s), round %d of %d%s%n", threads, round + 1,
                        WARM_UP_ROUNDS + rounds, counted ? "" : " (warm-up)");
            }
            return turns;
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                System.err.println("callers still running after 30 s");
            }
        }
    }

    /** Every thread posts for one window; the calls and failures of all of them. */
    private static Window window(ExecutorService pool, Poster poster, byte[] body, int threads)
            throws InterruptedException, ExecutionException {
        long end = System.nanoTime() + WINDOW_NANOS;
        AtomicInteger failures = new AtomicInteger();
        List<Future<Long>> callers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            callers.add(pool.submit(() -> {
                long calls = 0;
                while (System.nanoTime() - end < 0 && calls < MAX_CALLS_PER_WINDOW) {
                    calls++;
                    try {
                        if (poster.post(body, null) != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    }
                }
                return calls;
            }));
        }
        long calls = 0;
        for (Future<Long> caller : callers) {
            calls += caller.get();
        }
        return new Window(calls, failures.get(), WINDOW_NANOS);
    }

    /** One client's window: calls made, calls failed, and how long it lasted. */
    record Window(long calls, long failures, long nanos) {
        double perSecond() {
            return calls * 1e9 / nanos;
        }
    }

    /** The counted windows, by client, in round order. */
    static final class Turns {
        private final Map<Client, List<Window>> windows = new EnumMap<>(Client.class);

        void add(Client client, Window window) {
            windows.computeIfAbsent(client, c -> new ArrayList<>()).add(window);
        }

        /** {@code client}'s throughput over the raw client's, round by round. */
        List<Double> ratios(Client client) {
            List<Window> own = windows.get(client);
            List<Window> raw = windows.get(Client.RAW_JDK);
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < Math.min(own.size(), raw.size()); round++) {
                ratios.add(own.get(round).perSecond() / raw.get(round).perSecond());
            }
            return ratios;
        }

        String markdown(int threads) {
            StringBuilder out = new StringBuilder("### ").append(threads)
                    .append(threads == 1 ? " thread" : " threads")
                    .append("\n\n| client | ops/s, median of rounds | × rawJdk, median of rounds "
                            + "| quartiles of × rawJdk | rounds at or above " + OverheadTable.THROUGHPUT_TARGET
                            + " | failed calls / calls |\n"
                            + "|---|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<Client, List<Window>> entry : windows.entrySet()) {
                List<Double> perSecond = entry.getValue().stream().map(Window::perSecond).toList();
                List<Double> ratios = ratios(entry.getKey());
                long calls = entry.getValue().stream().mapToLong(Window::calls).sum();
                long failures = entry.getValue().stream().mapToLong(Window::failures).sum();
                String shares = entry.getKey() == Client.RAW_JDK ? "1 (the baseline) | | "
                        : String.format(Locale.ROOT, "%.3f | %.3f–%.3f | %d of %d", Stats.median(ratios),
                        Stats.quantile(ratios, 0.25), Stats.quantile(ratios, 0.75),
                        ratios.stream().filter(r -> r >= OverheadTable.THROUGHPUT_TARGET).count(), ratios.size());
                out.append(String.format(Locale.ROOT, "| `%s` | %,.0f | %s | %,d / %,d |%n", entry.getKey().method(),
                        Stats.median(perSecond), shares, failures, calls));
            }
            return out.append('\n').toString();
        }
    }
}
