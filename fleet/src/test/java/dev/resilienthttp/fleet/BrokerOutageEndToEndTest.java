package dev.resilienthttp.fleet;

import dev.resilienthttp.kafka.KafkaTestBroker;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fail-open: with the control topic unreachable each instance protects itself exactly as it does alone, and no call
 * waits on Kafka; when the broker is back, signals flow again. The instances reach the broker only through the test
 * kit's proxy, and the outage is the proxy's {@code down}: their connections are closed and new ones refused, while
 * the broker itself runs on (the in-process broker cannot be restarted on its port).
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class BrokerOutageEndToEndTest {
    private static final int LATCH = 20;

    @Test
    void withTheBrokerUnreachableEachInstanceLatchesAndHoldsOnItsOwnWithoutWaitingAndSignalsFlowOnceItReturns(
            KafkaTestBroker broker) throws Exception {
        String topic = ControlTopics.create(broker, "outage");
        try (LoopbackOrigin origin = LoopbackOrigin.start(instance -> LoopbackOrigin.Answer.OK);
             Instance a = Instance.inFleet("a", broker.proxiedBootstrapServers(), topic);
             Instance b = Instance.inFleet("b", broker.proxiedBootstrapServers(), topic)) {
            String host = origin.host();
            // Both read the topic, and each one's records reach the other.
            String first = ControlTopics.warmUp(broker, topic, a, b);
            String second = ControlTopics.warmUp(broker, topic, a, b);
            a.policy.unblock(first);
            b.policy.unblock(second);
            Await.until("a's lift reaches b", Duration.ofSeconds(30), () -> b.heard("hostUnblockedRemotely", first));
            Await.until("b's lift reaches a", Duration.ofSeconds(30), () -> a.heard("hostUnblockedRemotely", second));

            broker.cutProxiedPath();
            long cutAt = System.nanoTime();
            long longestCall;
            try {
                AtomicBoolean throttled = new AtomicBoolean();
                origin.answer(instance -> "a".equals(instance) ? LoopbackOrigin.Answer.FORBIDDEN
                        : throttled.compareAndSet(false, true) ? new LoopbackOrigin.Answer(429, "2")
                        : LoopbackOrigin.Answer.OK);
                // a latches on its own 403s; no call of it waits on the broker.
                longestCall = 0;
                Instance.Outcome outcome;
                do {
                    outcome = a.call(origin.uri());
                    longestCall = Math.max(longestCall, outcome.tookNanos());
                } while (!outcome.refusedBlocked());
                // b holds on its own 429: its call waits out the 2 s, then is answered.
                Instance.Outcome held = b.call(origin.uri());
                Instance.Outcome next = b.call(origin.uri());
                longestCall = Math.max(longestCall, next.tookNanos());

                assertThat(a.heard("hostBlocked", host)).isTrue();
                assertThat(origin.forbiddenTo("a")).isEqualTo(LATCH);
                assertThat(held.status()).isEqualTo(200);
                assertThat(held.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
                assertThat(b.heard("hostHeld", host)).isTrue();
                assertThat(next.status()).isEqualTo(200);
                assertThat(longestCall).as("no call waits on the unreachable broker")
                        .isLessThan(TimeUnit.SECONDS.toNanos(1));
                assertThat(b.policy.blockedHosts()).as("more than 2 s after a's latch, b has heard nothing of it")
                        .doesNotContain(host);
            } finally {
                broker.restoreProxiedPath();
            }
            long restoredAt = System.nanoTime();

            Await.until("a's BLOCKED, written while the broker was away, reaches b", Duration.ofSeconds(30),
                    () -> b.heard("hostBlockedRemotely", host));
            long blockFlowed = System.nanoTime() - restoredAt;
            b.policy.unblock(host);
            Await.until("b's lift reaches a", Duration.ofSeconds(30), () -> a.heard("hostUnblockedRemotely", host));
            assertThat(a.policy.blockedHosts()).doesNotContain(host);
            ControlTopics.print("outage", String.format("unreachable for %d ms; longest call meanwhile %d ms; a's "
                            + "BLOCKED reached b %d ms after the broker returned",
                    TimeUnit.NANOSECONDS.toMillis(restoredAt - cutAt), TimeUnit.NANOSECONDS.toMillis(longestCall),
                    TimeUnit.NANOSECONDS.toMillis(blockFlowed)));
        }
    }
}
