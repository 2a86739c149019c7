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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Where resilient-http's overhead over the raw JDK client comes from: the raw client driven the ways the wrapper
 * drives it, one change at a time, next to the wrapper itself. Not part of {@link OverheadRun}; run it when
 * {@code resilientStandard} misses its target, or after changing how core sends:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar BreakdownBenchmark -prof gc \
 *      -prof dev.resilienthttp.benchmarks.ServerAllocationProfiler
 * }</pre>
 *
 * <ul>
 *   <li>{@code send}: {@code HttpClient.send}, as {@code rawJdk};</li>
 *   <li>{@code sendWithTimeout}: the request built with a 30 s timeout, which the wrapper always sets: what the
 *       JDK's own timer costs;</li>
 *   <li>{@code sendWithAgentAndTimeout}: built with a {@code User-Agent} too: all the wrapper sends, at no cost
 *       of its own;</li>
 *   <li>{@code sendAsyncGet}: {@code sendAsync(...).get()}, how core's synchronous path sent before 0.1.0: why
 *       it now calls {@code send};</li>
 *   <li>{@code resilientNoRetry}, {@code resilientStandard}: the wrapper.</li>
 * </ul>
 * Failures are thrown here, not counted: it runs at one thread, where the JDK's pool race does not occur.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class BreakdownBenchmark {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private HttpClient jdk;
    private Poster noRetry;
    private Poster standard;
    private URI uri;
    private byte[] body;

    @Setup(Level.Trial)
    public void start() {
        LoopbackServer server = LoopbackServer.start();
        uri = server.uri(Payload.PATH);
        jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        noRetry = Client.RESILIENT_NO_RETRY.open(uri);
        standard = Client.RESILIENT_STANDARD.open(uri);
        body = Payload.bytes();
    }

    /** Closes the clients; the server outlives the trial (see {@link OverheadBenchmark#stop}). */
    @TearDown(Level.Trial)
    public void stop() {
        noRetry.close();
        standard.close();
    }

    @Benchmark
    public int send() throws Exception {
        return jdk.send(JdkPoster.request(uri, body, null), BodyHandlers.ofByteArray()).statusCode();
    }

    @Benchmark
    public int sendWithTimeout() throws Exception {
        return jdk.send(builder().timeout(REQUEST_TIMEOUT).build(), BodyHandlers.ofByteArray()).statusCode();
    }

    @Benchmark
    public int sendWithAgentAndTimeout() throws Exception {
        return jdk.send(builder().timeout(REQUEST_TIMEOUT).header("User-Agent", ResilientPoster.USER_AGENT).build(),
                BodyHandlers.ofByteArray()).statusCode();
    }

    @Benchmark
    public int sendAsyncGet() throws InterruptedException, ExecutionException {
        return jdk.sendAsync(JdkPoster.request(uri, body, null), BodyHandlers.ofByteArray()).get().statusCode();
    }

    @Benchmark
    public int resilientNoRetry() throws Exception {
        return noRetry.post(body, null);
    }

    @Benchmark
    public int resilientStandard() throws Exception {
        return standard.post(body, null);
    }

    /** The request {@link JdkPoster#request} builds, not yet built. */
    private HttpRequest.Builder builder() {
        return HttpRequest.newBuilder(uri).header("Content-Type", Payload.CONTENT_TYPE)
                .POST(BodyPublishers.ofByteArray(body));
    }
}
