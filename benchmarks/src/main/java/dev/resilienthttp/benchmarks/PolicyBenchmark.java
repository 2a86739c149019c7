package dev.resilienthttp.benchmarks;

import dev.resilienthttp.core.spi.CallPolicy;
import dev.resilienthttp.retry.RetryPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@code RetryPolicy.standard()} costs per successful call by itself, with no network: the protections
 * admitting the attempt, hearing its outcome, and the loop around it, over a {@link StubCall} that succeeds at
 * once. {@code attemptOnly} makes the attempt with no policy: the floor. Run at 1 and 4 threads,
 * with {@code -prof gc} for the bytes:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PolicyBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar PolicyBenchmark -t 4 -prof gc
 * }</pre>
 * At 4 threads all calls go to one host, so they share its breaker, latch and budget: contention shows here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PolicyBenchmark {
    private static final HttpRequest REQUEST = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/orders"))
            .GET().build();

    private final CallPolicy standard = RetryPolicy.standard();

    /** Each thread its own call, as each caller has its own. */
    @State(Scope.Thread)
    public static class ThreadCall {
        final StubCall call = new StubCall(REQUEST);
    }

    @Benchmark
    public Object standardPolicy(ThreadCall thread) throws IOException, InterruptedException {
        return standard.execute(thread.call.reset());
    }

    @Benchmark
    public Object attemptOnly(ThreadCall thread) {
        return thread.call.reset().attempt(Duration.ZERO).successfulResponse();
    }
}
