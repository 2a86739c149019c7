package dev.resilienthttp.fleet;

import dev.resilienthttp.fleet.internal.Signal;
import dev.resilienthttp.kafka.KafkaTestBroker;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record of a host has the host as its key, so compaction keeps only its latest: a {@code HOLD} written after
 * a {@code BLOCKED} would make the {@code BLOCKED} disappear for every instance started later. While the topic's
 * latest word on a host is {@code BLOCKED} (or the host is latched here), an instance publishes no hold of it.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class AHoldNeverReplacesABlockedEndToEndTest {

    @Test
    void aRetryAfterSeenWhileTheTopicsLatestWordOnTheHostIsBlockedIsNotPublished(KafkaTestBroker broker)
            throws Exception {
        String topic = ControlTopics.create(broker, "hold-blocked");
        AtomicBoolean throttledOnce = new AtomicBoolean();
        try (LoopbackOrigin origin = LoopbackOrigin.start(instance -> throttledOnce.compareAndSet(false, true)
                ? new LoopbackOrigin.Answer(429, "1") : LoopbackOrigin.Answer.OK);
             Instance a = Instance.inFleet("a", broker.bootstrapServers(), topic, policy -> policy,
                     fleet -> fleet.instanceId("a").blockQuorum(2))) {
            String host = origin.host();
            Instant now = Instant.now();
            // b reports the host blocked; with a quorum of two, a is not latched, but the topic's word is BLOCKED.
            ControlTopics.write(broker, topic, new Signal(Signal.What.BLOCKED, host, "b", now, now.plusSeconds(3600),
                    null, "20 consecutive 403s"));
            // Two instances' word on another host, which latches it here: once a has it, a has read b's record.
            String sentinel = "sentinel.example.org:443";
            for (String instance : new String[] {"c", "d"}) {
                ControlTopics.write(broker, topic, new Signal(Signal.What.BLOCKED, sentinel, instance, now,
                        now.plusSeconds(3600), null, "20 consecutive 403s"));
            }
            Await.until("a reads the control topic", Duration.ofSeconds(30),
                    () -> a.heard("hostBlockedRemotely", sentinel));

            Instance.Outcome throttled = a.call(origin.uri());
            // A later record of a's own: once it is on the topic, anything a published before it is there too.
            String other = "other.example.org:443";
            a.policy.unblock(other);
            Await.until("a's LIFT of another host is on the topic", Duration.ofSeconds(30),
                    () -> !ControlTopics.about(broker, topic, other).isEmpty());

            assertThat(throttled.status()).isEqualTo(200);
            assertThat(a.heard("hostHeld", host)).as("a was held by its own 429").isTrue();
            assertThat(ControlTopics.about(broker, topic, host)).containsExactly("BLOCKED by b");
        }
    }
}
