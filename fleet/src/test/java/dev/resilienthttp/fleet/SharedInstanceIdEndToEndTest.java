package dev.resilienthttp.fleet;

import dev.resilienthttp.fleet.internal.Signal;
import dev.resilienthttp.kafka.KafkaTestBroker;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance id is for people; an instance recognises its own records by the run it started, not by the id. Two
 * processes that share an id (a {@code POD_NAME} left unset) still share their signals, and a process restarted under
 * the same stable name (a StatefulSet's pod) applies what its predecessor published.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class SharedInstanceIdEndToEndTest {
    private static final String ID = "article-enricher-local";

    @Test
    void instancesSharingAnIdShareTheirSignalsAndARestartedInstanceAppliesItsPredecessorsBlocked(
            KafkaTestBroker broker) throws Exception {
        String topic = ControlTopics.create(broker, "shared-id");
        String host = "api.example.org:443";
        Instant now = Instant.now();
        // What this id's previous run published before it was restarted.
        ControlTopics.write(broker, topic, new Signal(Signal.What.BLOCKED, host, ID, now.minusSeconds(60),
                now.plusSeconds(3000), null, "20 consecutive 403s"));
        try (Instance x = Instance.inFleet("x", broker.bootstrapServers(), topic, policy -> policy,
                fleet -> fleet.instanceId(ID));
             Instance y = Instance.inFleet("y", broker.bootstrapServers(), topic, policy -> policy,
                     fleet -> fleet.instanceId(ID))) {
            ControlTopics.warmUp(broker, topic, x, y);

            assertThat(x.policy.blockedHosts()).as("the predecessor's BLOCKED applies").contains(host);
            assertThat(y.policy.blockedHosts()).contains(host);

            x.policy.unblock(host);
            Await.until("x's LIFT reaches y, which has the same id", Duration.ofSeconds(30),
                    () -> y.heard("hostUnblockedRemotely", host));
            assertThat(y.policy.blockedHosts()).doesNotContain(host);
        }
    }
}
