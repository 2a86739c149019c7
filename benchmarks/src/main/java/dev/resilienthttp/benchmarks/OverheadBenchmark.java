package dev.resilienthttp.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * What resilient-http costs on the fast path: the same loopback POST (1 KB each way, HTTP/1.1, keep-alive) through
 * the raw JDK client, resilient-http without and with {@code RetryPolicy.standard()}, OkHttp 5 and Apache
 * HttpClient 5, each reusing one client, against {@link LoopbackServer} in the same JVM.
 *
 * <p>Every method makes the same call through {@link Poster}; the trial's setup opens only the client the method
 * is named after ({@link Client#named}), and JMH forks a JVM per method, so each call site sees one client.
 * A failed call is counted ({@link Calls}), never thrown: the raw JDK client fails ~2 POSTs per 100 000 at 4
 * threads with "header parser received no bytes" (a pool race in the JDK, JDK-8338569), and the benchmark must
 * run through it and report it.
 *
 * <p>Run with {@code -prof gc -prof dev.resilienthttp.benchmarks.ServerAllocationProfiler}: the second splits the
 * allocation per call into the server's threads and the rest (the client). The defaults below are a quick look;
 * {@link OverheadRun} holds the settings of the committed results (5 forks interleaved in rounds, long warm-up,
 * medians).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 2)
public class OverheadBenchmark {
    private Poster poster;
    private byte[] body;

    /** Starts the server and the one client this method measures. */
    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        LoopbackServer server = LoopbackServer.start();
        poster = Client.named(benchmark.substring(benchmark.lastIndexOf('.') + 1)).open(server.uri(Payload.PATH));
        body = Payload.bytes();
    }

    /**
     * Closes the client only. The server runs until the fork ends: JMH runs this before the last iteration's
     * profilers, and {@link ServerAllocationProfiler} must still find the server's threads alive then.
     */
    @TearDown(Level.Trial)
    public void stop() {
        poster.close();
    }

    /** Plain {@code java.net.http.HttpClient}, HTTP/1.1. */
    @Benchmark
    public int rawJdk(Calls calls) {
        return post(calls);
    }

    /**
     * The JDK client with {@code .executor(Runnable::run)}: what removing the hand-off can win at most. Unsafe for
     * users (a blocking body handler stalls every connection); resilient-http removes it safely.
     */
    @Benchmark
    public int rawJdkInline(Calls calls) {
        return post(calls);
    }

    /** resilient-http, default policy: one attempt. */
    @Benchmark
    public int resilientNoRetry(Calls calls) {
        return post(calls);
    }

    /** resilient-http with {@code RetryPolicy.standard()}. */
    @Benchmark
    public int resilientStandard(Calls calls) {
        return post(calls);
    }

    /**
     * The JDK client with its defaults through {@code sendAsync(…).get()}: the JDK completes each future on
     * {@code CompletableFuture}'s default pool (on JDK 17 with fewer than three CPUs, a new thread per call).
     */
    @Benchmark
    public int rawJdkAsync(Calls calls) {
        return post(calls);
    }

    /** resilient-http with {@code RetryPolicy.standard()} through {@code sendAsync(…).get()}. */
    @Benchmark
    public int resilientStandardAsync(Calls calls) {
        return post(calls);
    }

    /** OkHttp 5, defaults. */
    @Benchmark
    public int okHttp(Calls calls) {
        return post(calls);
    }

    /** Apache HttpClient 5, classic API. */
    @Benchmark
    public int apacheHc5(Calls calls) {
        return post(calls);
    }

    private int post(Calls calls) {
        calls.calls++;
        try {
            int status = poster.post(body, null);
            if (status != 200) {
                calls.statusFailures++;
            }
            return status;
        } catch (IOException e) {
            calls.transportFailed(e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
