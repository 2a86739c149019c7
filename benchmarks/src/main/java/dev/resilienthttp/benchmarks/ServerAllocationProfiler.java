package dev.resilienthttp.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the bytes allocated per operation between the loopback server and the client under test.
 * {@code alloc.server.norm}: the threads named {@link LoopbackServer#THREAD_PREFIX}{@code …}, read one by one
 * before and after the iteration (the server's pool is fixed-size and outlives the trial, so none of them ends
 * in between). {@code alloc.client.norm}: everything else the JVM allocated meanwhile, counted as JMH's
 * {@code -prof gc} counts it (threads that ended included): benchmark threads, the JDK client's selector and
 * executor threads, OkHttp's and Apache's, and JMH's own small share. So
 * {@code gc.alloc.rate.norm = alloc.server.norm + alloc.client.norm}, up to the two profilers' timing.
 *
 * <p>Use: {@code -prof dev.resilienthttp.benchmarks.ServerAllocationProfiler}.
 */
public final class ServerAllocationProfiler implements InternalProfiler {
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * {@code ThreadMXBean.getTotalThreadAllocatedBytes()}, looked up at run time: JDK 21 added it and 17.0.9
     * backported it, but {@code --release 17} compiles against 17's first API, which lacks it.
     */
    private final MethodHandle totalAllocated = totalAllocatedBytes(threads);
    private Map<Long, Long> serverBefore = Map.of();
    private long totalBefore;

    @Override
    public String getDescription() {
        return "bytes allocated per op by the loopback server's threads and by all others (the client)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        serverBefore = allocatedByServerThread();
        totalBefore = totalAllocated();
    }

    @Override
    public List<Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                          IterationResult result) {
        long total = totalAllocated() - totalBefore;
        long server = 0;
        for (Map.Entry<Long, Long> thread : allocatedByServerThread().entrySet()) {
            server += thread.getValue() - serverBefore.getOrDefault(thread.getKey(), 0L);
        }
        long ops = result.getMetadata().getAllOps();
        return List.of(
                new ScalarResult("alloc.server.norm", perOp(server, ops), "B/op", AggregationPolicy.AVG),
                new ScalarResult("alloc.client.norm", perOp(total - server, ops), "B/op", AggregationPolicy.AVG));
    }

    private static MethodHandle totalAllocatedBytes(com.sun.management.ThreadMXBean threads) {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(com.sun.management.ThreadMXBean.class, "getTotalThreadAllocatedBytes",
                            MethodType.methodType(long.class))
                    .bindTo(threads);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("ServerAllocationProfiler needs ThreadMXBean.getTotalThreadAllocatedBytes"
                    + " (JDK 17.0.9 or newer): " + e, e);
        }
    }

    private long totalAllocated() {
        try {
            return (long) totalAllocated.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("reading the JVM's allocated bytes failed", e);
        }
    }

    private static double perOp(long bytes, long ops) {
        return ops == 0 ? Double.NaN : (double) bytes / ops;
    }

    /** Bytes allocated so far by each live thread of the server. */
    private Map<Long, Long> allocatedByServerThread() {
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        long[] allocated = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && allocated[i] >= 0
                    && infos[i].getThreadName().startsWith(LoopbackServer.THREAD_PREFIX)) {
                byThread.put(ids[i], allocated[i]);
            }
        }
        return byThread;
    }
}
