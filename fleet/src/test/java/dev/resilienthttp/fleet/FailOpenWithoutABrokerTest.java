package dev.resilienthttp.fleet;

import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fail-open from the start: a pod may start while Kafka's names do not resolve yet, or its broker is unreachable.
 * Starting waits on nothing and fails on nothing, the policy protects itself alone, and {@code close()} returns
 * within its bound leaving no thread of the fleet behind, however many signals wait for the broker.
 */
class FailOpenWithoutABrokerTest {
    private static final int LATCH = 20;

    @Test
    void withBootstrapNamesThatDoNotResolveStartReturnsThePolicyLatchesAndHoldsAloneAndCloseLeavesNoThread()
            throws Exception {
        String id = "unresolved-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicBoolean throttled = new AtomicBoolean();
        try (LoopbackOrigin origin = LoopbackOrigin.start(instance -> "a".equals(instance)
                ? LoopbackOrigin.Answer.FORBIDDEN : throttled.compareAndSet(false, true)
                ? new LoopbackOrigin.Answer(429, "1") : LoopbackOrigin.Answer.OK)) {
            long startedAt = System.nanoTime();
            Instance a = Instance.inFleet("a", "no-such-host.invalid:9092", "article-enricher.http-control",
                    policy -> policy, fleet -> fleet.instanceId(id));
            long start = System.nanoTime() - startedAt;
            try (a; Instance b = Instance.inFleet("b", "no-such-host.invalid:9092", "article-enricher.http-control",
                    policy -> policy, fleet -> fleet.instanceId(id + "-b"))) {
                long longestCall = 0;
                Instance.Outcome outcome;
                do {
                    outcome = a.call(origin.uri());
                    longestCall = Math.max(longestCall, outcome.tookNanos());
                } while (!outcome.refusedBlocked());
                Instance.Outcome held = b.call(origin.uri());
                Instance.Outcome next = b.call(origin.uri());
                longestCall = Math.max(longestCall, next.tookNanos());

                // Below the producer's max.block.ms (5 s), which a wait on Kafka would take: a cold JVM on a loaded
                // machine can take a second to build a client and make its first call.
                assertThat(start).as("start waits on nothing").isLessThan(TimeUnit.SECONDS.toNanos(3));
                assertThat(origin.forbiddenTo("a")).as("a latched on its own 20 403s").isEqualTo(LATCH);
                assertThat(held.status()).isEqualTo(200);
                assertThat(held.took()).as("b held by its own Retry-After").isGreaterThanOrEqualTo(
                        Duration.ofSeconds(1));
                assertThat(longestCall).as("no call waits on Kafka").isLessThan(TimeUnit.SECONDS.toNanos(3));
            }
            Await.until("no thread of either fleet member is left after close()", Duration.ofSeconds(1),
                    () -> threadsNaming(id).isEmpty(), () -> threadsNaming(id));
        }
    }

    @Test
    void closeReturnsWithinItsBoundAndLeavesNoThreadWhenManySignalsWaitForABrokerNeverReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();   // nothing listens there once it is closed
        }
        String id = "unreached-" + UUID.randomUUID().toString().substring(0, 8);
        Instance a = Instance.inFleet("a", "127.0.0.1:" + closedPort, "article-enricher.http-control",
                policy -> policy, fleet -> fleet.instanceId(id)
                        .kafkaConfig(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300)));
        Await.until("the publisher has its producer", Duration.ofSeconds(10),
                () -> threadsNaming(id).stream().anyMatch(name -> name.startsWith("kafka-producer-network-thread")));
        for (int i = 0; i < 40; i++) {
            a.policy.unblock("api-" + i + ".example.org:443");   // 40 LIFTs for the publisher
        }
        long closing = System.nanoTime();
        a.close();
        long took = System.nanoTime() - closing;

        Await.until("no thread of the fleet member is left after close()", Duration.ofSeconds(1),
                () -> threadsNaming(id).isEmpty(), () -> threadsNaming(id));
        assertThat(Duration.ofNanos(took)).as("close() gives up on a broker never reached at its first send")
                .isLessThan(Duration.ofSeconds(4));
    }

    private static List<String> threadsNaming(String id) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(id)).collect(Collectors.toList());
    }
}
