package dev.resilienthttp.fleet;

import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.fleet.internal.Signal;
import dev.resilienthttp.fleet.internal.SignalCodec;
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
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' rule is about the service: three running instances of it call an API that starts answering 403 to
 * everything. Alone, each must collect its own 20 consecutive 403s; in the fleet, the first instance's latch stops
 * the other two, and one person's unblock on any instance resumes all three. The same run is made alone and in the
 * fleet, and the 403s the origin answered are printed for both.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class ThreeInstancesBlockedEndToEndTest {
    /** The standard latch: 20 consecutive 403s. */
    private static final int LATCH = 20;
    /** The other two instances are slower consumers: one event every 100 ms, where the first calls flat out. */
    private static final long PACE_MILLIS = 100;

    @Test
    void oneInstancesLatchStopsTheOtherTwoWithinASecondWithNoRequestAndOneUnblockAnywhereResumesAllThree(
            KafkaTestBroker broker) throws Exception {
        String topic = ControlTopics.create(broker, "three");
        int alone;
        try (LoopbackOrigin origin = LoopbackOrigin.start(instance -> LoopbackOrigin.Answer.OK);
             Instance a = Instance.alone("a"); Instance b = Instance.alone("b"); Instance c = Instance.alone("c")) {
            runUntilEachIsRefused(origin, a, b, c);
            alone = origin.forbidden();
            for (Instance instance : List.of(a, b, c)) {
                assertThat(origin.forbiddenTo(instance.name)).as("alone, %s latches on its own 403s", instance.name)
                        .isEqualTo(LATCH);
                assertThat(instance.heard("hostBlocked", origin.host())).isTrue();
            }
        }

        try (LoopbackOrigin origin = LoopbackOrigin.start(instance -> LoopbackOrigin.Answer.OK);
             Instance a = Instance.inFleet("a", broker.bootstrapServers(), topic);
             Instance b = Instance.inFleet("b", broker.bootstrapServers(), topic);
             Instance c = Instance.inFleet("c", broker.bootstrapServers(), topic)) {
            String host = origin.host();
            ControlTopics.warmUp(broker, topic, a, b, c);
            runUntilEachIsRefused(origin, a, b, c);
            int inFleet = origin.forbidden();
            long fromA = origin.forbiddenTo("a");
            long fromB = origin.forbiddenTo("b");
            long fromC = origin.forbiddenTo("c");
            long latchedAt = a.heardAt("hostBlocked", host).orElseThrow();
            long bDelay = b.heardAt("hostBlockedRemotely", host).orElseThrow() - latchedAt;
            long cDelay = c.heardAt("hostBlockedRemotely", host).orElseThrow() - latchedAt;

            // Refused without a request: ten more calls each, and the origin sees none of them.
            int before = origin.requests();
            for (Instance instance : List.of(b, c)) {
                for (int i = 0; i < 10; i++) {
                    Instance.Outcome outcome = instance.call(origin.uri());
                    assertThat(outcome.refusedBlocked()).isTrue();
                    assertThat(outcome.failure().outcome()).isEqualTo(Outcome.NOT_SENT);
                    assertThat(outcome.failure().detail()).contains("told by another instance", "instance a");
                }
            }
            int afterRefusals = origin.requests();

            // A person talks to the operators, who lift the block; the person unblocks on c, which latched nothing.
            origin.answer(instance -> LoopbackOrigin.Answer.OK);
            long unblockedAt = System.nanoTime();
            c.policy.unblock(host);
            for (Instance instance : List.of(a, b, c)) {
                Await.until(instance.name + " calls again", Duration.ofSeconds(10),
                        () -> call(instance, origin).status() == 200);
            }
            long resumedAll = System.nanoTime() - unblockedAt;

            ControlTopics.print("three-instances-403", String.format("403s the origin answered: alone=%d "
                            + "in-fleet=%d (a=%d b=%d c=%d) b-latched-after=%d ms c-latched-after=%d ms all-three-called-again=%d ms",
                    alone, inFleet, fromA, fromB, fromC, TimeUnit.NANOSECONDS.toMillis(bDelay),
                    TimeUnit.NANOSECONDS.toMillis(cDelay), TimeUnit.NANOSECONDS.toMillis(resumedAll)));

            assertThat(fromA).as("a latched on its own 20").isEqualTo(LATCH);
            assertThat(fromB).as("b's requests, all sent before a's record came").isLessThan(LATCH);
            assertThat(fromC).as("c's requests, all sent before a's record came").isLessThan(LATCH);
            for (Instance other : List.of(b, c)) {
                assertThat(other.heard("hostBlocked", host)).as("%s latched by a's record, not its own 403s",
                        other.name).isFalse();
            }
            assertThat(bDelay).as("b refused within 1 s of a's latch").isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(cDelay).as("c refused within 1 s of a's latch").isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(afterRefusals).isEqualTo(before);
            assertThat(inFleet).isLessThan(alone);
            assertThat(a.heard("hostUnblockedRemotely", host)).isTrue();
            assertThat(b.heard("hostUnblockedRemotely", host)).isTrue();
            // One record per change, and no echo: b and c latched by a's record write nothing, nor does a on the lift.
            List<String> records = broker.records(topic).stream().map(record -> {
                try {
                    Signal signal = SignalCodec.decode(record.key(), record.value());
                    return signal.what() + " " + signal.host() + " by " + signal.instance();
                } catch (SignalCodec.BadSignal e) {
                    throw new AssertionError(e);
                }
            }).filter(record -> record.contains(host)).collect(Collectors.toList());
            assertThat(records).containsExactly("BLOCKED " + host + " by a", "LIFT " + host + " by c");
        }
    }

    private static Instance.Outcome call(Instance instance, LoopbackOrigin origin) {
        try {
            return instance.call(origin.uri());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The service runs (three answered calls each), then the API answers 403 to everything: the three go on at once,
     * {@code a} flat out and the others one call per {@link #PACE_MILLIS}, each until its first call refused
     * {@code BLOCKED} (15 s at most).
     */
    private static void runUntilEachIsRefused(LoopbackOrigin origin, Instance a, Instance b, Instance c)
            throws Exception {
        for (Instance instance : List.of(a, b, c)) {
            for (int i = 0; i < 3; i++) {
                assertThat(instance.call(origin.uri()).status()).isEqualTo(200);
            }
        }
        origin.answer(instance -> LoopbackOrigin.Answer.FORBIDDEN);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (Instance instance : List.of(a, b, c)) {
                long pace = instance == a ? 0 : PACE_MILLIS;
                loops.add(threads.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    while (!instance.call(origin.uri()).refusedBlocked()) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new AssertionError(instance.name + " was never refused BLOCKED");
                        }
                        TimeUnit.MILLISECONDS.sleep(pace);   // the pace of a slower consumer, not a wait for a result
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
