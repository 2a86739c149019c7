package dev.resilienthttp.fleet;

import dev.resilienthttp.kafka.KafkaTestBroker;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code Retry-After} is meant for the caller the operators see, the whole service: when one instance is told to
 * come back in 3 s, none of the three comes back sooner.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class FleetHoldEndToEndTest {

    @Test
    void aRetryAfterOfThreeSecondsSeenByOneInstanceKeepsEveryInstancesRequestsFromTheOriginUntilItEnds(
            KafkaTestBroker broker) throws Exception {
        String topic = ControlTopics.create(broker, "hold");
        long told;
        try (LoopbackOrigin origin = LoopbackOrigin.start(instance -> LoopbackOrigin.Answer.OK);
             Instance a = Instance.inFleet("a", broker.bootstrapServers(), topic);
             Instance b = Instance.inFleet("b", broker.bootstrapServers(), topic);
             Instance c = Instance.inFleet("c", broker.bootstrapServers(), topic)) {
            String host = origin.host();
            ControlTopics.warmUp(broker, topic, a, b, c);
            AtomicBoolean throttled = new AtomicBoolean();
            origin.answer(instance -> throttled.compareAndSet(false, true) ? new LoopbackOrigin.Answer(429, "3")
                    : LoopbackOrigin.Answer.OK);
            int before = origin.requests();

            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                List<Future<Instance.Outcome>> calls = new ArrayList<>();
                calls.add(threads.submit(() -> a.call(origin.uri())));
                Await.until("a is throttled", Duration.ofSeconds(5), () -> a.heard("hostHeld", host));
                long heldAt = a.heardAt("hostHeld", host).orElseThrow();
                for (Instance other : List.of(b, c)) {
                    Await.until(other.name + " holds the host too", Duration.ofSeconds(10),
                            () -> other.heard("hostHeldRemotely", host));
                }
                told = Math.max(b.heardAt("hostHeldRemotely", host).orElseThrow(),
                        c.heardAt("hostHeldRemotely", host).orElseThrow()) - heldAt;
                // The other two go on with their work: each call waits out the hold instead of reaching the origin.
                calls.add(threads.submit(() -> b.call(origin.uri())));
                calls.add(threads.submit(() -> c.call(origin.uri())));
                for (Future<Instance.Outcome> call : calls) {
                    assertThat(call.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
                }
            } finally {
                threads.shutdownNow();
                assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }

            List<LoopbackOrigin.Seen> seen = origin.seen().subList(before, origin.requests());
            LoopbackOrigin.Seen the429 = seen.get(0);
            long earliestAfter = seen.subList(1, seen.size()).stream().mapToLong(LoopbackOrigin.Seen::nanoTime).min()
                    .orElseThrow() - the429.nanoTime();
            ControlTopics.print("hold", String.format("requests after the 429=%d, the first %d ms after it "
                            + "(Retry-After 3 s); b and c held %d ms after a was",
                    seen.size() - 1, TimeUnit.NANOSECONDS.toMillis(earliestAfter),
                    TimeUnit.NANOSECONDS.toMillis(told)));

            assertThat(the429.status()).isEqualTo(429);
            assertThat(the429.instance()).isEqualTo("a");
            assertThat(seen).hasSize(4).extracting(LoopbackOrigin.Seen::instance)
                    .containsExactlyInAnyOrder("a", "a", "b", "c");
            assertThat(earliestAfter).as("no request from any instance before the Retry-After ends")
                    .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(3));
            assertThat(b.heard("hostHeld", host)).as("b was held by a's record, not a 429 of its own").isFalse();
            assertThat(c.heard("hostHeld", host)).isFalse();
        }
    }
}
