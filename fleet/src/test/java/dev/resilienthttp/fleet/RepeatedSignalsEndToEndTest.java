package dev.resilienthttp.fleet;

import dev.resilienthttp.kafka.KafkaTestBroker;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signal is published each time the state changes here, whatever was published before: a record may have been
 * lost on the way (a broker away longer than the producer's delivery timeout), and a latch that a probe lifted here
 * alone (which tells nobody) may close again. Only holds are thinned (at most one a second per host).
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class RepeatedSignalsEndToEndTest {

    @Test
    void aLatchAfterAProbesLocalLiftAndAPersonsSecondUnblockArePublishedAgain(KafkaTestBroker broker)
            throws Exception {
        String topic = ControlTopics.create(broker, "repeated");
        try (LoopbackOrigin origin = LoopbackOrigin.start(instance -> LoopbackOrigin.Answer.FORBIDDEN);
             Instance a = Instance.inFleet("a", broker.bootstrapServers(), topic,
                     policy -> policy.forbiddenLatchProbe(Duration.ofMillis(50)), fleet -> fleet.instanceId("a"))) {
            String host = origin.host();
            ControlTopics.warmUp(broker, topic, a);
            latch(a, origin);
            published(broker, topic, host, "BLOCKED by a");
            // The probe is answered 200: the latch lifts here alone. Then the 403s come back and it closes again.
            origin.answer(instance -> LoopbackOrigin.Answer.OK);
            Await.until("a's probe lifts its latch", Duration.ofSeconds(10),
                    () -> a.status(origin.uri()) == 200);
            origin.answer(instance -> LoopbackOrigin.Answer.FORBIDDEN);
            latch(a, origin);
            published(broker, topic, host, "BLOCKED by a", "BLOCKED by a");
            a.policy.unblock(host);
            published(broker, topic, host, "BLOCKED by a", "BLOCKED by a", "LIFT by a");
            a.policy.unblock(host);   // the first LIFT may have been lost on the way: a person tries again

            published(broker, topic, host, "BLOCKED by a", "BLOCKED by a", "LIFT by a", "LIFT by a");
        }
    }

    /**
     * Waits until the topic holds {@code records} about {@code host}, then checks it holds nothing more. Each step
     * waits for its record: signals for one host that wait together are folded into the latest.
     */
    private static void published(KafkaTestBroker broker, String topic, String host, String... records)
            throws InterruptedException {
        AtomicReference<List<String>> read = new AtomicReference<>(List.of());
        Await.until(String.join(", ", records) + " on the topic", Duration.ofSeconds(30),
                () -> read.updateAndGet(before -> ControlTopics.about(broker, topic, host)).size() >= records.length,
                read::get);
        assertThat(read.get()).containsExactly(records);
    }

    private static void latch(Instance instance, LoopbackOrigin origin) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!instance.call(origin.uri()).refusedBlocked()) {
            assertThat(System.nanoTime() - deadline).as("latched within 15 s").isNegative();
        }
    }

}
