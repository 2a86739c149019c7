package dev.resilienthttp.benchmarks;

import dev.resilienthttp.faults.LoopbackTls;

import dev.resilienthttp.retry.RetryPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * {@link OverheadBenchmark}'s call over the two other transports a real API is reached by: the same loopback POST
 * (1 KB each way, one client reused) over HTTPS with HTTP/1.1 ({@code tls}), and over HTTP/2 over TLS, chosen by
 * ALPN ({@code h2}), through the raw JDK client and resilient-http with {@code RetryPolicy.standard()}. Both clients
 * trust only {@link LoopbackTls}'s certificate, made when the fork starts.
 *
 * <p>The trial's setup opens only the client the method is named after, then makes one call and fails the trial
 * unless it came back {@code 200} in the transport's version: the JDK falls back to HTTP/1.1 without a word when
 * ALPN does not choose h2, and the {@code h2} scores would then measure the wrong protocol. A failed call in the
 * measurement is counted ({@link Calls}), never thrown, as in {@link OverheadBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 2)
public class TransportBenchmark {
    /** {@link Transport#TLS} or {@link Transport#H2}, by its lower-case name. */
    @Param({"tls", "h2"})
    public String transport;

    private Poster poster;
    private byte[] body;

    /** Starts the server on the transport, opens the one client this method measures, and checks one call. */
    @Setup(Level.Trial)
    public void start(BenchmarkParams params) throws IOException, InterruptedException {
        String benchmark = params.getBenchmark();
        Transport chosen = Transport.named(transport);
        LoopbackServer server = LoopbackServer.start(chosen);
        VersionedPoster opened = open(Client.named(benchmark.substring(benchmark.lastIndexOf('.') + 1)),
                server.uri(Payload.PATH), chosen);
        body = Payload.bytes();
        try {
            check(opened.exchange(body), chosen);
        } catch (IOException | InterruptedException | RuntimeException e) {
            opened.close();
            throw e;
        }
        poster = opened;
    }

    /** Closes the client only; the server runs until the fork ends, as in {@link OverheadBenchmark#stop}. */
    @TearDown(Level.Trial)
    public void stop() {
        poster.close();
    }

    /** Plain {@code java.net.http.HttpClient}, in the transport's version. */
    @Benchmark
    public int rawJdk(Calls calls) {
        return calls.post(poster, body);
    }

    /** resilient-http with {@code RetryPolicy.standard()}, in the transport's version. */
    @Benchmark
    public int resilientStandard(Calls calls) {
        return calls.post(poster, body);
    }

    /** A new {@code client} (one of the two measured here), speaking {@code transport} to {@code uri}. */
    static VersionedPoster open(Client client, URI uri, Transport transport) {
        switch (client) {
            case RAW_JDK:
                return new JdkPoster(uri, transport);
            case RESILIENT_STANDARD:
                return new ResilientPoster(uri, RetryPolicy.standard(), transport);
            default:
                throw new IllegalArgumentException(client.method() + " is not measured over " + transport);
        }
    }

    /**
     * @throws IllegalStateException unless the response is a {@code 200} in {@code transport}'s version with the
     *     whole payload
     */
    static void check(HttpResponse<byte[]> response, Transport transport) {
        if (response.statusCode() != 200 || response.version() != transport.version()
                || response.body().length != Payload.SIZE) {
            throw new IllegalStateException("over " + transport + " the loopback call came back "
                    + response.statusCode() + " " + response.version() + " with " + response.body().length
                    + " bytes, not 200 " + transport.version() + " with " + Payload.SIZE);
        }
    }
}
