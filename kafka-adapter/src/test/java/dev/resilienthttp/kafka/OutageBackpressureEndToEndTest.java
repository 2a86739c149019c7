package dev.resilienthttp.kafka;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.retry.RetryPolicy;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream goes down for 10 s (every call answered 503) while a processor with 16 calls in flight works through
 * 2,000 updates. The client's breaker opens after 10 failed attempts and stays open 12 s, longer than the outage, so
 * that no probe meets the outage: each probe that did would be one more counted pass, routed to the error topic.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class OutageBackpressureEndToEndTest {
    private static final int ARTICLES = 400;
    private static final int VERSIONS = 5;
    private static final int EVENTS = ARTICLES * VERSIONS;
    private static final int MAX_IN_FLIGHT = 16;
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Test
    void anOutagePausesTheSourceInsteadOfDrainingItAndEveryEventSucceedsAfterIt(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "outage", 2);
        broker.sendAll(VersionedApi.updates(pipeline.source(), ARTICLES, VERSIONS));
        AtomicBoolean down = new AtomicBoolean();
        Set<String> started = ConcurrentHashMap.newKeySet();
        AtomicInteger startedDuringOutage = new AtomicInteger();
        RecordingListener listener = new RecordingListener();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
                .circuitBreaker(0.5, 10, Duration.ofSeconds(12), 1).build();
        try (VersionedApi api = VersionedApi.start(Duration.ofMillis(5), () -> down.get() ? 503 : 200);
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(TestClients.USER_AGENT)
                     .preferHttp1().retry(policy).build()) {
            URI uri = api.uri();
            Map<TopicPartition, Long> committedAtOutage;
            Map<TopicPartition, Long> committedAfterOutage;
            int handledAtOutage;
            try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                    .maxInFlight(MAX_IN_FLIGHT).listener(listener)
                    .holdRetry(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .asyncHandler(record -> {
                        if (started.add(record.topic() + "@" + record.partition() + "@" + record.offset())
                                && down.get()) {
                            startedDuringOutage.incrementAndGet();
                        }
                        String[] update = record.value().split(":");
                        return client.sendAsync(VersionedApi.post(uri, update[0], Integer.parseInt(update[1])),
                                BodyHandlers.discarding());
                    }).build().start()) {
                Await.until("500 updates done before the outage", Duration.ofSeconds(30),
                        () -> listener.handled.size() >= 500, processor::failure);
                down.set(true);
                handledAtOutage = listener.handled.size();
                Await.until("the processor holding", Duration.ofSeconds(10),
                        () -> processor.state() == ProcessorState.HOLDING, processor::failure);
                committedAtOutage = broker.committed(pipeline.group());
                Thread.sleep(OUTAGE.toMillis());    // the outage itself: what the processor does meanwhile is measured
                committedAfterOutage = broker.committed(pipeline.group());
                down.set(false);
                Await.until("every update done after the outage", Duration.ofSeconds(60),
                        () -> api.acceptedUpdates() == EVENTS && pipeline.committedToEnd(pipeline.source())
                                && pipeline.committedToEnd(pipeline.error()),
                        () -> api.acceptedUpdates() + " accepted, " + processor.state());
            }
            int errorCopies = broker.records(pipeline.error()).size();
            KafkaNumbers.print("upstream-outage", String.format("events=%d max-in-flight=%d outage=%ds "
                            + "handled-at-outage=%d started-during-outage=%d committed-at-outage=%s "
                            + "committed-after-outage=%s held=%d released=%d error-topic=%d dead-letter=%d "
                            + "requests=%d accepted=%d", EVENTS, MAX_IN_FLIGHT, OUTAGE.toSeconds(), handledAtOutage,
                    startedDuringOutage.get(), committedAtOutage.values(), committedAfterOutage.values(),
                    listener.held.size(), listener.released.get(), errorCopies,
                    broker.records(pipeline.deadLetter()).size(), api.requests(), api.acceptedUpdates()));

            assertThat(startedDuringOutage.get()).as("records started during the outage: those in flight, refused "
                    + "and held, and the probes").isLessThanOrEqualTo(2 * MAX_IN_FLIGHT);
            assertThat(errorCopies).as("error-topic copies: at most what was in flight").isLessThanOrEqualTo(
                    MAX_IN_FLIGHT);
            assertThat(listener.released.get()).as("holds ended by a call that succeeded").isPositive();
            assertThat(api.acceptedUpdates()).isEqualTo(EVENTS);
            assertThat(broker.records(pipeline.deadLetter())).isEmpty();
        }
    }

}
