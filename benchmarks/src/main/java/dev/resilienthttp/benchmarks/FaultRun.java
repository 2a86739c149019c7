package dev.resilienthttp.benchmarks;

import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.faults.ToxiproxyServer;
import eu.rekawek.toxiproxy.Proxy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Goodput and latency under faults: keyed POSTs (each call its own {@code Idempotency-Key}, kept on retries)
 * through the test kit's in-JVM Toxiproxy to {@link LoopbackServer}, for the raw JDK client, resilient-http with
 * {@code RetryPolicy.standard()} and OkHttp, under each {@link Fault}. Every client gets a fresh server and proxy,
 * so the server's count of requests and of keys seen twice is its own. Writes {@code faults.json} and
 * {@code faults.md}.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.resilienthttp.benchmarks.FaultRun [--quick] [--out DIR]
 * }</pre>
 *
 * <p>Bounded: at most {@link #SCENARIO_LIMIT_MINUTES} minutes per client and fault, then the calls still running
 * are interrupted and the run goes on. About 3 minutes in all; {@code --quick} makes a fifth of the calls.
 */
public final class FaultRun {
    static final List<Client> CLIENTS = List.of(Client.RAW_JDK, Client.RESILIENT_STANDARD, Client.OKHTTP);
    static final int WARM_UP_CALLS = 3000;
    static final int SCENARIO_LIMIT_MINUTES = 5;

    private FaultRun() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int out = List.of(args).indexOf("--out");
        Path dir = Path.of(out >= 0 && out + 1 < args.length ? args[out + 1] : "benchmarks/results");
        Files.createDirectories(dir);

        Machine before = Machine.now();
        for (Client client : CLIENTS) {
            warmUp(client);
        }
        FaultReport report = new FaultReport();
        try (ToxiproxyServer toxiproxy = ToxiproxyServer.start()) {
            for (Fault fault : Fault.values()) {
                for (Client client : CLIENTS) {
                    FaultReport.Row row = measure(toxiproxy, fault, client, quick ? 5 : 1);
                    report.add(row);
                    System.out.println(row.oneLine());
                }
            }
        }
        Machine after = Machine.now();

        Files.writeString(dir.resolve("faults.json"), report.json());
        String markdown = "# Goodput and latency under faults\n\n" + before.describe(after) + "\n"
                + "- Command: `java -cp " + System.getProperty("java.class.path") + " " + FaultRun.class.getName()
                + String.join("", List.of(args).stream().map(arg -> " " + arg).toList()) + "`\n"
                + "- Each client warmed up with " + WARM_UP_CALLS + " calls straight to the server first."
                + (quick ? " QUICK CHECK ONLY: a fifth of the calls." : "") + "\n\n"
                + report.markdown();
        Files.writeString(dir.resolve("faults.md"), markdown);
        System.out.println(markdown);
    }

    /** Compiles the client's path before it is measured, straight to a server with no proxy and no fault. */
    private static void warmUp(Client client) throws IOException, InterruptedException {
        byte[] body = Payload.bytes();
        try (LoopbackServer server = LoopbackServer.start(); Poster poster = client.open(server.uri(Payload.PATH))) {
            for (int call = 0; call < WARM_UP_CALLS; call++) {
                poster.post(body, "warm-up-" + call);
            }
        }
    }

    private static FaultReport.Row measure(ToxiproxyServer toxiproxy, Fault fault, Client client, int divisor)
            throws IOException, InterruptedException {
        String name = fault.name().toLowerCase(Locale.ROOT) + "-" + client.method();
        try (LoopbackServer origin = LoopbackServer.start(fault.closeEach(), true)) {
            Proxy proxy = toxiproxy.client().createProxy(name, "127.0.0.1:0", "127.0.0.1:" + origin.port());
            try {
                fault.apply(proxy, toxiproxy.apiUri());
                URI target = URI.create("http://" + proxy.getListen() + Payload.PATH);
                Tally tally = new Tally();
                long elapsed;
                boolean finished;
                try (Poster poster = client.open(target)) {
                    ExecutorService users = Executors.newFixedThreadPool(fault.users());
                    long started = System.nanoTime();
                    for (int user = 0; user < fault.users(); user++) {
                        int id = user;
                        users.execute(() -> callAsUser(poster, fault, name, id, fault.callsPerUser() / divisor, tally));
                    }
                    users.shutdown();
                    finished = users.awaitTermination(SCENARIO_LIMIT_MINUTES, TimeUnit.MINUTES);
                    if (!finished) {
                        users.shutdownNow();
                    }
                    elapsed = System.nanoTime() - started;
                }
                return new FaultReport.Row(fault, client, tally.summary(elapsed), origin.requests(),
                        origin.duplicateKeys(), finished);
            } finally {
                proxy.delete();
            }
        }
    }

    /** One user's calls; the pauses come from a generator seeded by the user's number, the same for every client. */
    private static void callAsUser(Poster poster, Fault fault, String name, int user, int calls, Tally tally) {
        byte[] body = Payload.bytes();
        Random pauses = new Random(user);
        long maxPause = fault.maxPause().toMillis();
        for (int call = 0; call < calls && !Thread.currentThread().isInterrupted(); call++) {
            try {
                if (maxPause > 0) {
                    Thread.sleep(pauses.nextInt((int) maxPause));
                }
                long started = System.nanoTime();
                try {
                    tally.status(poster.post(body, name + "-" + user + "-" + call), System.nanoTime() - started);
                } catch (IOException e) {
                    tally.failed(reason(e), System.nanoTime() - started);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A failure's kind for resilient-http, else its type and message without addresses. */
    static String reason(IOException failure) {
        if (failure instanceof HttpFailureException) {
            return ((HttpFailureException) failure).kind().name();
        }
        String message = failure.getMessage() == null ? ""
                : ": " + failure.getMessage().replaceAll("(https?://)?127\\.0\\.0\\.1:\\d+\\S*", "…");
        return failure.getClass().getSimpleName() + message;
    }
}
