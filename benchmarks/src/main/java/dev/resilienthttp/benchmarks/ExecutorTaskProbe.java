package dev.resilienthttp.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the JDK {@link HttpClient} submits to the executor given to {@link HttpClient.Builder#executor}: per task,
 * its class, the thread that submitted it, and which user callbacks (the body handler, a subscriber's
 * {@code onNext}/{@code onComplete}, a {@code sendAsync} {@code thenApply} stage, a publisher's
 * {@code InputStream.read}) ran inside it. User callbacks that ran outside every executor task are listed with
 * the thread they ran on (the selector thread, the caller, the common pool). Scenarios: HTTP/1.1 {@code send} and
 * {@code sendAsync} with {@code ofString}, a plain {@link Flow.Subscriber} through
 * {@code BodyHandlers.fromSubscriber}, a POST with {@code BodyPublishers.ofInputStream}, and a TLS GET. h2c is not
 * measured: the JDK has no HTTP/2 server. Servers are {@code com.sun.net.httpserver} on 127.0.0.1; the TLS
 * certificate is made at run time by the JDK's {@code keytool}. Each scenario: 5 warm-up calls, then 20 measured,
 * sequential, on one client (so one pooled connection). The whole run is halted after 110 s.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.resilienthttp.benchmarks.ExecutorTaskProbe
 * }</pre>
 */
public final class ExecutorTaskProbe {
    private static final int WARM_UP_CALLS = 5;
    private static final int MEASURED_CALLS = 20;
    private static final int BODY_BYTES = 32 * 1024;
    private static final long HARD_BOUND_MILLIS = 110_000;
    private static final long CALL_TIMEOUT_SECONDS = 10;
    private static final String STORE_PASSWORD = "probe-only";

    /** The recording executor of the running scenario; user callbacks report to it. */
    private static volatile RecordingExecutor active;

    /** One call of a scenario. */
    @FunctionalInterface
    private interface Call {
        void make(HttpClient client, URI base) throws Exception;
    }

    private record Scenario(String title, boolean tls, Call call) {
    }

    private ExecutorTaskProbe() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(HARD_BOUND_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("ExecutorTaskProbe: hard bound of " + HARD_BOUND_MILLIS + " ms reached, halting");
            Runtime.getRuntime().halt(3);
        }, "probe-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Machine start = Machine.now();
        byte[] body = new byte[BODY_BYTES];
        Arrays.fill(body, (byte) 'x');
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        ExecutorService serverPool = Executors.newFixedThreadPool(2, daemonThreads("probe-server-"));
        Path dir = Files.createTempDirectory("executor-task-probe");
        HttpServer http = null;
        HttpsServer https = null;
        StringBuilder out = new StringBuilder();
        try {
            http = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
            http.createContext("/", exchange -> serve(exchange, body));
            http.setExecutor(serverPool);
            http.start();
            URI httpBase = URI.create("http://127.0.0.1:" + http.getAddress().getPort());

            SSLContext clientTls = null;
            URI httpsBase = null;
            String tlsSkipped = null;
            try {
                KeyStore keys = selfSignedKeyStore(dir);
                SSLContext serverTls = SSLContext.getInstance("TLS");
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, STORE_PASSWORD.toCharArray());
                serverTls.init(kmf.getKeyManagers(), null, null);
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                Certificate cert = keys.getCertificate("probe");
                trust.setCertificateEntry("probe", cert);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                clientTls = SSLContext.getInstance("TLS");
                clientTls.init(null, tmf.getTrustManagers(), null);
                https = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
                https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
                https.createContext("/", exchange -> serve(exchange, body));
                https.setExecutor(serverPool);
                https.start();
                httpsBase = URI.create("https://127.0.0.1:" + https.getAddress().getPort());
            } catch (Exception e) {
                tlsSkipped = "TLS skipped: " + e;
            }

            out.append("# ExecutorTaskProbe\n\n").append(start.describe(start))
                    .append("- Each scenario: one HttpClient (HTTP/1.1) with .executor(recording executor: 2 daemon"
                            + " threads), ").append(WARM_UP_CALLS).append(" warm-up calls then ")
                    .append(MEASURED_CALLS).append(" measured sequential calls; GET bodies ").append(BODY_BYTES)
                    .append(" bytes, POST body ").append(BODY_BYTES).append(" bytes\n")
                    .append("- 'per call' = tasks submitted during the measured calls / ").append(MEASURED_CALLS)
                    .append(" (min-max over the calls); thread names with digits replaced by N\n\n");
            System.out.print(out);
            out.setLength(0);

            List<Scenario> scenarios = List.of(
                    new Scenario("(a) HTTP/1.1 send() + BodyHandlers.ofString()", false,
                            ExecutorTaskProbe::sendOfString),
                    new Scenario("(b) HTTP/1.1 sendAsync() + ofString() + thenApply", false,
                            ExecutorTaskProbe::sendAsyncOfString),
                    new Scenario("(c) HTTP/1.1 send() + BodyHandlers.fromSubscriber(plain Flow.Subscriber)", false,
                            ExecutorTaskProbe::sendFromSubscriber),
                    new Scenario("(d) HTTP/1.1 POST BodyPublishers.ofInputStream, send() + ofString()", false,
                            ExecutorTaskProbe::postInputStream),
                    new Scenario("(e) HTTPS (TLS) send() + ofString()", true, ExecutorTaskProbe::sendOfString));
            for (Scenario scenario : scenarios) {
                if (scenario.tls() && httpsBase == null) {
                    System.out.println("## " + scenario.title() + "\n\n" + tlsSkipped + "\n");
                    continue;
                }
                System.out.print(run(scenario, scenario.tls() ? httpsBase : httpBase, clientTls));
            }
            System.out.println("## (f) HTTP/2 cleartext (h2c)\n\nSkipped: the JDK has no HTTP/2 server"
                    + " (com.sun.net.httpserver speaks HTTP/1.1 only).\n");
            System.out.print("- Ended: " + Machine.now().time() + "\n");
        } finally {
            if (http != null) {
                http.stop(0);
            }
            if (https != null) {
                https.stop(0);
            }
            serverPool.shutdownNow();
            serverPool.awaitTermination(5, TimeUnit.SECONDS);
            deleteQuietly(dir.resolve("probe.p12"));
            deleteQuietly(dir);
            watchdog.interrupt();
        }
    }

    // ---- scenarios -------------------------------------------------------------------------------------------

    private static void sendOfString(HttpClient client, URI base) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/get")).build(),
                markedOfString());
        check(response.statusCode() == 200 && response.body().length() == BODY_BYTES, "GET " + response);
    }

    private static void sendAsyncOfString(HttpClient client, URI base) throws Exception {
        int length = client.sendAsync(HttpRequest.newBuilder(base.resolve("/get")).build(), markedOfString())
                .thenApply(response -> {
                    userCallback("thenApply");
                    return response.body().length();
                }).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        check(length == BODY_BYTES, "sendAsync length " + length);
    }

    private static void sendFromSubscriber(HttpClient client, URI base) throws Exception {
        MarkingSubscriber subscriber = new MarkingSubscriber();
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(base.resolve("/get")).build(),
                BodyHandlers.fromSubscriber(subscriber));
        check(response.statusCode() == 200 && subscriber.bytes.get() == BODY_BYTES,
                "fromSubscriber bytes " + subscriber.bytes.get());
    }

    private static void postInputStream(HttpClient client, URI base) throws Exception {
        byte[] payload = new byte[BODY_BYTES];
        Arrays.fill(payload, (byte) 'p');
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/post"))
                .POST(BodyPublishers.ofInputStream(() -> {
                    userCallback("InputStream supplier");
                    return new MarkingInputStream(payload);
                })).build();
        HttpResponse<String> response = client.send(request, markedOfString());
        check(response.statusCode() == 200 && response.body().equals(Integer.toString(BODY_BYTES)),
                "POST " + response + " " + response.body());
    }

    private static BodyHandler<String> markedOfString() {
        return info -> {
            userCallback("BodyHandler.apply");
            return BodySubscribers.ofString(StandardCharsets.UTF_8);
        };
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("unexpected result: " + what);
        }
    }

    /** A plain subscriber, one buffer list at a time. */
    private static final class MarkingSubscriber implements Flow.Subscriber<List<ByteBuffer>> {
        private final AtomicLong bytes = new AtomicLong();
        private volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            userCallback("onSubscribe");
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            userCallback("onNext");
            for (ByteBuffer buffer : item) {
                bytes.addAndGet(buffer.remaining());
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            userCallback("onError");
        }

        @Override
        public void onComplete() {
            userCallback("onComplete");
        }
    }

    private static final class MarkingInputStream extends ByteArrayInputStream {
        MarkingInputStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read() {
            userCallback("InputStream.read");
            return super.read();
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            userCallback("InputStream.read");
            return super.read(b, off, len);
        }
    }

    // ---- recording -------------------------------------------------------------------------------------------

    /** A user callback ran: inside the recording executor's current task, or outside every task. */
    private static void userCallback(String callback) {
        RecordingExecutor executor = active;
        if (executor != null) {
            executor.callback(callback);
        }
    }

    /** One task handed to the executor. */
    private static final class TaskRecord {
        final String taskClass;
        final String submitter;
        final int call;
        final Map<String, Integer> callbacks = new ConcurrentHashMap<>();
        volatile Thread runner;

        TaskRecord(String taskClass, String submitter, int call) {
            this.taskClass = taskClass;
            this.submitter = submitter;
            this.call = call;
        }
    }

    /** Runs each task on 2 daemon threads and records it; {@link #callIndex} says which call is under way. */
    private static final class RecordingExecutor implements Executor {
        private static final ThreadLocal<TaskRecord> CURRENT = new ThreadLocal<>();

        private final ExecutorService pool = Executors.newFixedThreadPool(2, daemonThreads("probe-exec-"));
        private final Records records = new Records();
        private final Map<String, Integer> outside = new ConcurrentHashMap<>();
        private final AtomicLong submitted = new AtomicLong();
        private final AtomicLong completed = new AtomicLong();
        volatile int callIndex = -1;

        @Override
        public void execute(Runnable task) {
            Thread submitting = Thread.currentThread();
            TaskRecord parent = CURRENT.get();
            String submitter = pattern(submitting.getName())
                    + (parent != null ? " (in " + simple(parent.taskClass) + ")" : "");
            TaskRecord record = new TaskRecord(describe(task.getClass()), submitter, callIndex);
            records.add(record);
            submitted.incrementAndGet();
            pool.execute(() -> {
                record.runner = Thread.currentThread();
                CURRENT.set(record);
                try {
                    task.run();
                } finally {
                    CURRENT.remove();
                    completed.incrementAndGet();
                }
            });
        }

        void callback(String callback) {
            if (callIndex < 0) {
                return;
            }
            TaskRecord record = CURRENT.get();
            if (record != null && record.runner == Thread.currentThread()) {
                record.callbacks.merge(callback, 1, Integer::sum);
            } else {
                outside.merge(callback + "\u0000" + pattern(Thread.currentThread().getName()), 1, Integer::sum);
            }
        }

        /** Waits (at most 2 s) until every submitted task has run and nothing new came for 60 ms. */
        void awaitQuiet() throws InterruptedException {
            long last = -1;
            int stable = 0;
            for (int i = 0; i < 100 && stable < 3; i++) {
                Thread.sleep(20);
                long now = submitted.get();
                stable = now == last && now == completed.get() ? stable + 1 : 0;
                last = now;
            }
        }

        void reset() {
            records.clear();
            outside.clear();
        }

        void close() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
    }

    /** Records of one scenario. */
    private static final class Records {
        private final ConcurrentLinkedQueue<TaskRecord> items = new ConcurrentLinkedQueue<>();

        void add(TaskRecord record) {
            items.add(record);
        }

        void clear() {
            items.clear();
        }

        List<TaskRecord> snapshot() {
            return new ArrayList<>(items);
        }
    }

    private static String run(Scenario scenario, URI base, SSLContext tls) throws Exception {
        RecordingExecutor executor = new RecordingExecutor();
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor);
        if (scenario.tls()) {
            builder.sslContext(tls);
        }
        HttpClient client = builder.build();
        active = executor;
        try {
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                scenario.call().make(client, base);
            }
            executor.awaitQuiet();
            executor.reset();
            for (int i = 0; i < MEASURED_CALLS; i++) {
                executor.callIndex = i;
                scenario.call().make(client, base);
            }
            executor.awaitQuiet();
            return report(scenario.title(), executor);
        } finally {
            active = null;
            closeClient(client);
            executor.close();
        }
    }

    private static void closeClient(HttpClient client) throws Exception {
        if (client instanceof AutoCloseable) { // JDK 21+
            ((AutoCloseable) client).close();
        }
    }

    private static String report(String title, RecordingExecutor executor) {
        List<TaskRecord> records = executor.records.snapshot();
        Map<String, List<TaskRecord>> rows = new TreeMap<>();
        for (TaskRecord record : records) {
            rows.computeIfAbsent(record.taskClass + "\u0000" + record.submitter, k -> new ArrayList<>()).add(record);
        }
        StringBuilder out = new StringBuilder("## ").append(title).append("\n\n")
                .append("Tasks per call: ").append(perCall(records)).append("\n\n")
                .append("| task class | per call (min-max) | submitted from | of which ran user code (per call) |"
                        + " user callbacks inside (per call) |\n")
                .append("|---|---|---|---|---|\n");
        for (Map.Entry<String, List<TaskRecord>> row : rows.entrySet()) {
            String[] key = row.getKey().split("\u0000", 2);
            Map<String, Integer> callbacks = new TreeMap<>();
            for (TaskRecord record : row.getValue()) {
                record.callbacks.forEach((name, count) -> callbacks.merge(name, count, Integer::sum));
            }
            String inside = callbacks.isEmpty() ? "-" : callbacks.entrySet().stream()
                    .map(e -> e.getKey() + " " + ratio(e.getValue()))
                    .collect(Collectors.joining(", "));
            out.append("| `").append(key[0]).append("` | ").append(perCall(row.getValue())).append(" | ")
                    .append(key[1]).append(" | ")
                    .append(ratio((int) row.getValue().stream().filter(r -> !r.callbacks.isEmpty()).count()))
                    .append(" | ").append(inside).append(" |\n");
        }
        out.append("\nUser callbacks outside every executor task:");
        if (executor.outside.isEmpty()) {
            out.append(" none\n\n");
        } else {
            out.append("\n\n| callback | thread | per call |\n|---|---|---|\n");
            new TreeMap<>(executor.outside).forEach((key, count) -> {
                String[] parts = key.split("\u0000", 2);
                out.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" | ").append(ratio(count))
                        .append(" |\n");
            });
            out.append('\n');
        }
        return out.toString();
    }

    private static String perCall(List<TaskRecord> records) {
        int[] counts = new int[MEASURED_CALLS];
        for (TaskRecord record : records) {
            if (record.call >= 0 && record.call < MEASURED_CALLS) {
                counts[record.call]++;
            }
        }
        int min = Arrays.stream(counts).min().orElse(0);
        int max = Arrays.stream(counts).max().orElse(0);
        return ratio(records.size()) + " (" + min + "-" + max + ")";
    }

    private static String ratio(int total) {
        return String.format(java.util.Locale.ROOT, "%.2f", total / (double) MEASURED_CALLS);
    }

    /** The class name; for a lambda, without its run-specific suffix but with the types it captures. */
    private static String describe(Class<?> type) {
        String name = type.getName();
        int lambda = name.indexOf("$$Lambda");
        if (lambda < 0) {
            return name;
        }
        String captures = Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getType).map(Class::getSimpleName).collect(Collectors.joining(", "));
        return name.substring(0, lambda) + "$$Lambda(" + captures + ")";
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String pattern(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- servers ---------------------------------------------------------------------------------------------

    private static void serve(HttpExchange exchange, byte[] body) throws IOException {
        try (exchange) {
            byte[] request;
            try (InputStream in = exchange.getRequestBody()) {
                request = in.readAllBytes();
            }
            byte[] response = "POST".equals(exchange.getRequestMethod())
                    ? Integer.toString(request.length).getBytes(StandardCharsets.US_ASCII) : body;
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(response);
            }
        }
    }

    /** An EC key pair and self-signed certificate for 127.0.0.1, made by the running JDK's keytool. */
    private static KeyStore selfSignedKeyStore(Path dir) throws Exception {
        Path store = dir.resolve("probe.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "probe",
                "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
            }
        } finally {
            process.destroy();
            deleteQuietly(dir.resolve("keytool.log"));
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        return keys;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a temporary file; nothing to do
        }
    }
}
