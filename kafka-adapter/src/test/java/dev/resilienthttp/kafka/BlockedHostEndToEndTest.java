package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blocked host ({@code BLOCKED}: the 403 latch is set) fails every event the same way, so routing them would
 * empty the topic into the dead-letter topic for nothing: the processor pauses, routes and commits nothing past the
 * blocked event, and resumes when the block is lifted.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class BlockedHostEndToEndTest {
    private static final int EVENTS = 5;

    @Test
    void aBlockedHostPausesConsumptionWithoutRoutingOrCommittingUntilBlockLiftedSaysSo(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "blocked", 1);
        AtomicBoolean latchSet = new AtomicBoolean(true);
        AtomicInteger asked = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        RecordingListener listener = new RecordingListener();
        send(broker, pipeline);
        Map<TopicPartition, Long> committedWhileBlocked;
        List<String> handledWhileBlocked;
        try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .listener(listener)
                .blockLifted(() -> {
                    asked.incrementAndGet();
                    return !latchSet.get();
                })
                .handler(record -> {
                    if (record.value().equals("event-2") && latchSet.get()) {
                        throw Failures.refused(FailureKind.BLOCKED, "http://api/articles/" + record.key(),
                                "403 on 20 calls in a row");
                    }
                    handled.add(record.value());
                }).build().start()) {
            Await.until("the processor blocked", Duration.ofSeconds(20), () -> listener.blocked.get() == 1,
                    processor::failure);
            int askedAtBlock = asked.get();
            Await.until("blockLifted asked on 10 more polls", Duration.ofSeconds(10),
                    () -> asked.get() >= askedAtBlock + 10);
            committedWhileBlocked = broker.committed(pipeline.group());
            handledWhileBlocked = List.copyOf(handled);
            int blockedEpisodes = listener.blocked.get();

            latchSet.set(false);
            Await.until("every event handled after the block is lifted", Duration.ofSeconds(20),
                    () -> handled.size() == EVENTS && pipeline.committedToEnd(pipeline.source()),
                    processor::failure);
            KafkaNumbers.print("blocked-host", String.format("events=%d handled-while-blocked=%d "
                            + "committed-while-blocked=%s polls-while-blocked>=%d blocked-logged=%d handled-after=%d "
                            + "error-topic=%d dead-letter=%d", EVENTS, handledWhileBlocked.size(),
                    committedWhileBlocked.values(), asked.get() - askedAtBlock, blockedEpisodes, handled.size(),
                    broker.records(pipeline.error()).size(), broker.records(pipeline.deadLetter()).size()));

            assertThat(handledWhileBlocked).as("the other keys, started with it, finished")
                    .containsExactlyInAnyOrder("event-0", "event-1", "event-3", "event-4");
            assertThat(committedWhileBlocked).as("not past the blocked record")
                    .containsEntry(new TopicPartition(pipeline.source(), 0), 2L);
            assertThat(blockedEpisodes).as("paused and logged once, however many polls").isEqualTo(1);
            assertThat(listener.routed).isEmpty();
            assertThat(handled).hasSize(EVENTS).endsWith("event-2");
            assertThat(listener.unblocked.get()).isEqualTo(1);
            assertThat(broker.records(pipeline.error())).isEmpty();
            assertThat(broker.records(pipeline.deadLetter())).isEmpty();
        }
    }

    @Test
    void resumeEndsABlockWhenNoBlockLiftedCheckIsGiven(KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "blocked-resume", 1);
        AtomicBoolean blockedOnce = new AtomicBoolean();
        List<String> handled = new CopyOnWriteArrayList<>();
        RecordingListener listener = new RecordingListener();
        send(broker, pipeline);
        try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .listener(listener)
                .maxInFlight(1)     // one at a time: nothing after the blocked record starts
                .handler(record -> {
                    if (record.value().equals("event-2") && blockedOnce.compareAndSet(false, true)) {
                        throw Failures.refused(FailureKind.BLOCKED, "http://api/articles/" + record.key(),
                                "403 on 20 calls in a row");
                    }
                    handled.add(record.value());
                }).build().start()) {
            Await.until("the processor blocked", Duration.ofSeconds(20), () -> listener.blocked.get() == 1,
                    processor::failure);
            int handledWhileBlocked = handled.size();
            processor.resume();
            Await.until("every event handled after resume()", Duration.ofSeconds(20),
                    () -> handled.size() == EVENTS && pipeline.committedToEnd(pipeline.source()),
                    processor::failure);
            KafkaNumbers.print("blocked-host-resume", String.format("events=%d handled-while-blocked=%d "
                    + "handled-after=%d routed=%d", EVENTS, handledWhileBlocked, handled.size(),
                    listener.routed.size()));

            assertThat(handledWhileBlocked).isEqualTo(2);
            assertThat(handled).hasSize(EVENTS);
            assertThat(listener.routed).isEmpty();
        }
    }

    private static void send(KafkaTestBroker broker, Pipeline pipeline) throws Exception {
        for (int i = 0; i < EVENTS; i++) {
            broker.send(new ProducerRecord<>(pipeline.source(), 0, ("article-" + i).getBytes(StandardCharsets.UTF_8),
                    ("event-" + i).getBytes(StandardCharsets.UTF_8)));
        }
    }
}
