package dev.resilienthttp.benchmarks;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.retry.RetryPolicy;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * Bytes the calling thread allocates per call, for the raw JDK client and the wrapper, each with and without a
 * {@code User-Agent} of the request's own. {@code -prof gc} counts every thread; this counts only the caller, so
 * the two together say how much of the overhead is the wrapper's own code and how much the JDK's threads. Not
 * a JMH benchmark: allocation per call does not depend on the machine's load, so one JVM and a minute suffice.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.resilienthttp.benchmarks.CallerAllocationProbe
 * }</pre>
 */
public final class CallerAllocationProbe {
    private static final int WARM_UP_CALLS = 10_000;
    private static final int CALLS_PER_ROUND = 5_000;
    private static final int ROUNDS = 3;

    /** One call to measure. */
    @FunctionalInterface
    private interface Call {
        int make() throws Exception;
    }

    private CallerAllocationProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = LoopbackServer.start()) {
            URI uri = server.uri(Payload.PATH);
            byte[] body = Payload.bytes();
            HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (ResilientHttpClient noRetry = ResilientHttpClient.builder().userAgent(ResilientPoster.USER_AGENT)
                         .preferHttp1().build();
                 ResilientHttpClient standard = ResilientHttpClient.builder().userAgent(ResilientPoster.USER_AGENT)
                         .preferHttp1().retry(RetryPolicy.standard()).build()) {
                report("rawJdk", () -> jdk.send(request(uri, body, false), BodyHandlers.ofByteArray()).statusCode());
                report("rawJdk, User-Agent and 30 s timeout in the request", () -> jdk.send(
                        builder(uri, body, true).timeout(Duration.ofSeconds(30)).build(),
                        BodyHandlers.ofByteArray()).statusCode());
                report("resilientNoRetry", () -> noRetry.send(request(uri, body, false),
                        BodyHandlers.ofByteArray()).statusCode());
                report("resilientStandard", () -> standard.send(request(uri, body, false),
                        BodyHandlers.ofByteArray()).statusCode());
                report("rawJdk, User-Agent in the request", () -> jdk.send(request(uri, body, true),
                        BodyHandlers.ofByteArray()).statusCode());
                report("resilientStandard, User-Agent in the request", () -> standard.send(request(uri, body, true),
                        BodyHandlers.ofByteArray()).statusCode());
            }
        }
    }

    private static HttpRequest request(URI uri, byte[] body, boolean withAgent) {
        return builder(uri, body, withAgent).build();
    }

    /** The request {@link JdkPoster#request} builds, with the wrapper's agent when asked, not yet built. */
    private static HttpRequest.Builder builder(URI uri, byte[] body, boolean withAgent) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Content-Type", Payload.CONTENT_TYPE)
                .POST(BodyPublishers.ofByteArray(body));
        if (withAgent) {
            builder.header("User-Agent", ResilientPoster.USER_AGENT);
        }
        return builder;
    }

    /** Prints the fewest bytes per call of {@link #ROUNDS} rounds, after a warm-up. */
    private static void report(String name, Call call) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            call.make();
        }
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS_PER_ROUND; i++) {
                call.make();
            }
            fewest = Math.min(fewest, (threads.getCurrentThreadAllocatedBytes() - before) / CALLS_PER_ROUND);
        }
        System.out.printf("%-50s %,7d B per call on the calling thread%n", name, fewest);
    }
}
