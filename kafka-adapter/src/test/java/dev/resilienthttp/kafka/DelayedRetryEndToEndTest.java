package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Error-topic records wait for their not-before time with their partition paused, not by re-reading them on every
 * poll, and a rebalance does not leave a partition paused for good. Time is a {@link MutableClock}: the test moves
 * it an hour ahead instead of waiting.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class DelayedRetryEndToEndTest {
    private static final Duration DELAY = Duration.ofHours(1);

    @Test
    void anErrorTopicRecordWaitsPausedUntilItsNotBeforeTimeThenIsProcessed(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "delayed", 1);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        RecordingListener listener = new RecordingListener();
        broker.send(new ProducerRecord<>(pipeline.source(), 0, "article-1".getBytes(StandardCharsets.UTF_8),
                "event-1".getBytes(StandardCharsets.UTF_8)));
        try (ResilientEventProcessor<String, String> processor = processor(pipeline, clock, calls, listener)) {
            Await.until("the error-topic copy found not due", Duration.ofSeconds(20),
                    () -> listener.delays.size() == 1, processor::failure);
            int readsAtPause = clock.reads();
            Await.until("30 more turns of the loop", Duration.ofSeconds(10), () -> clock.reads() >= readsAtPause + 30);
            int delaysWhilePaused = listener.delays.size();
            int callsWhilePaused = calls.get("event-1");

            clock.advance(DELAY);
            Await.until("the copy handled once due", Duration.ofSeconds(10),
                    () -> calls.get("event-1") == 2 && pipeline.committedToEnd(pipeline.error()),
                    processor::failure);
            List<ConsumerRecord<byte[], byte[]>> errorTopic = broker.records(pipeline.error());
            KafkaNumbers.print("delayed-retry", String.format("events=1 error-topic=%d not-before=%s "
                            + "found-not-due=%d handler-calls-while-paused=%d handler-calls=%d", errorTopic.size(),
                    RoutingEndToEndTest.header(errorTopic.get(0), FailureHeaders.NOT_BEFORE), delaysWhilePaused,
                    callsWhilePaused, calls.get("event-1")));

            Instant start = Instant.parse("2026-11-21T12:00:00Z");
            assertThat(Instant.parse(RoutingEndToEndTest.header(errorTopic.get(0), FailureHeaders.NOT_BEFORE)))
                    .as("the delay, spread over its upper half").isBetween(start.plus(DELAY.dividedBy(2)),
                            start.plus(DELAY));
            assertThat(delaysWhilePaused).as("the paused partition is not re-read on every poll").isEqualTo(1);
            assertThat(callsWhilePaused).isEqualTo(1);
            assertThat(listener.routed).hasSize(1);
        }
    }

    @Test
    void aPausedErrorPartitionIsResumedAfterARebalance(KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "delayed-rebalance", 1);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        RecordingListener listener = new RecordingListener();
        broker.send(new ProducerRecord<>(pipeline.source(), 0, "article-1".getBytes(StandardCharsets.UTF_8),
                "event-1".getBytes(StandardCharsets.UTF_8)));
        RecordingListener secondListener = new RecordingListener();
        try (ResilientEventProcessor<String, String> first = processor(pipeline, clock, calls, listener)) {
            Await.until("the error-topic copy found not due", Duration.ofSeconds(20),
                    () -> listener.delays.size() == 1, first::failure);
            try (ResilientEventProcessor<String, String> second = processor(pipeline, clock, calls, secondListener)) {
                // The second member's join revokes and reassigns every partition (eager range assignment): the copy
                // is read again by whichever member gets the error topic, and found not due again.
                Await.until("the copy read again after the rebalance", Duration.ofSeconds(20),
                        () -> listener.delays.size() + secondListener.delays.size() >= 2, second::failure);
            }
            // The second member left: a second rebalance. The copy must not stay paused once due.
            clock.advance(DELAY);
            Await.until("the copy handled once due, after the rebalances", Duration.ofSeconds(20),
                    () -> calls.get("event-1") == 2 && pipeline.committedToEnd(pipeline.error()),
                    first::failure);
            KafkaNumbers.print("delayed-retry-rebalance", String.format("events=1 found-not-due-first=%d "
                            + "found-not-due-second=%d handler-calls=%d", listener.delays.size(),
                    secondListener.delays.size(), calls.get("event-1")));

            assertThat(calls.get("event-1")).isEqualTo(2);
            assertThat(listener.routed.size() + secondListener.routed.size()).isEqualTo(1);
        }
    }

    private static ResilientEventProcessor<String, String> processor(Pipeline pipeline, MutableClock clock,
                                                                     Map<String, Integer> calls,
                                                                     RecordingListener listener) {
        return pipeline.processor(Serdes.String())
                .clock(clock).retryDelay(DELAY, DELAY.multipliedBy(2)).listener(listener)
                .handler(record -> {
                    if (calls.merge(record.value(), 1, Integer::sum) == 1) {
                        throw Failures.status(FailureKind.SERVER_ERROR, 503, "http://api/articles/" + record.key());
                    }
                }).build().start();
    }
}
