package dev.resilienthttp.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileSummaryTest {
    private static final String CALLER = "java/lang/Thread.run;"
            + "org/openjdk/jmh/runner/BenchmarkHandler$BenchmarkTask.call;"
            + "dev/resilienthttp/benchmarks/jmh_generated/OverheadBenchmark_resilientStandard_jmhTest.run;"
            + "dev/resilienthttp/benchmarks/ResilientPoster.post;";
    private static final String OWN_SEND = CALLER + "dev/resilienthttp/core/ResilientHttpClient.send;"
            + "dev/resilienthttp/retry/RetryPolicy.execute;dev/resilienthttp/core/RealCall.send;";

    @Test
    void splitsTheCallingThreadIntoOwnCodeAndTheJdksSendUnderIt() {
        List<String> lines = List.of(
                OWN_SEND + "jdk/internal/net/http/HttpClientImpl.send;sun/nio/ch/SocketChannelImpl.write 300",
                OWN_SEND + "dev/resilienthttp/core/AttemptDeadline.blocking;"
                        + "dev.resilienthttp.core.AttemptDeadline_[i] 20",
                OWN_SEND + "dev/resilienthttp/core/PreparedRequest.withAgent;java/net/http/HttpHeaders.of;"
                        + "java.util.TreeMap_[i] 40",
                CALLER + "jdk/internal/net/http/HttpRequestBuilderImpl.<init> 10",
                "jdk/internal/net/http/HttpClientImpl$SelectorManager.run;sun/nio/ch/SelectorImpl.select 100",
                "java/lang/Thread.run;org/eclipse/jetty/util/thread/QueuedThreadPool$Runner.run 50",
                "java/lang/Thread.run;dev/resilienthttp/core/DeadlineWatchdog.run 2",
                "java/lang/Thread.run;java/util/concurrent/ThreadPoolExecutor.runWorker;"
                        + "jdk/internal/net/http/SocketTube$InternalWriteSubscriber.requestMore 30",
                "thread_native_entry;CompileBroker::compiler_thread_loop 8",
                "[unknown_Java];___pthread_cond_signal 4");

        ProfileSummary.Profile profile = ProfileSummary.summarize("standard", lines, 2, 1);

        assertThat(profile.parts()).containsEntry("calling thread: the JDK's send, under resilient-http", 150.0)
                .containsEntry("calling thread: resilient-http and resilience4j, outside the JDK's send", 30.0)
                .containsEntry("calling thread: the JDK's send (raw), building the request, the loop", 5.0)
                .containsEntry("JDK client: selector thread", 50.0)
                .containsEntry("server (Jetty)", 25.0)
                .containsEntry("resilient-http's deadline watchdog", 1.0)
                .containsEntry("JDK client: executor threads", 15.0)
                .containsEntry("JIT compiler threads", 4.0)
                .containsEntry("GC, VM and other threads", 2.0);
        assertThat(profile.ownTops()).containsOnly(
                Map.entry("PreparedRequest.withAgent → java.util.TreeMap", 20.0),
                Map.entry("AttemptDeadline.blocking → dev.resilienthttp.core.AttemptDeadline", 10.0));
    }

    @Test
    void turnsSamplesIntoMicrosecondsPerCallWithTheSamplingInterval() {
        List<String> lines = List.of("jdk/internal/net/http/HttpClientImpl$SelectorManager.run 1000");

        ProfileSummary.Profile profile = ProfileSummary.summarize("raw", lines, 4_000, 1_000_000 / 1_000.0);

        assertThat(profile.parts()).containsEntry("JDK client: selector thread", 250.0);
        assertThat(ProfileSummary.markdown(List.of(profile), "µs/call"))
                .contains("| JDK client: selector thread | 250 |")
                .contains("| **all** | **250** |");
    }
}
