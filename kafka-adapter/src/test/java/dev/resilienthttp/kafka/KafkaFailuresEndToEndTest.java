package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the processor does when Kafka itself, or the application, fails it: stop, say so, lose nothing, leak nothing. */
@ExtendWith(KafkaTestBroker.Shared.class)
class KafkaFailuresEndToEndTest {
    @Test
    void aDeadLetterCopyTooLargeForItsTopicStopsTheProcessorWithoutCommittingPastItOrSpinning(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "too-large", 1);
        String deadLetter = pipeline.deadLetter() + "-small";
        broker.createTopic(deadLetter, 1, Map.of("max.message.bytes", "2000"));
        broker.send(new ProducerRecord<>(pipeline.source(), 0, bytes("article-0"), bytes("fine")));
        broker.send(new ProducerRecord<>(pipeline.source(), 0, bytes("article-1"), bytes("x".repeat(5_000))));
        broker.send(new ProducerRecord<>(pipeline.source(), 0, bytes("article-2"), bytes("fine too")));
        RecordingListener listener = new RecordingListener();
        List<String> handled = new CopyOnWriteArrayList<>();
        ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .deadLetterTopic(deadLetter)
                .listener(listener)
                .handler(record -> {
                    if (record.value().length() > 100) {
                        throw Failures.status(FailureKind.CLIENT_ERROR, 404, "http://api/articles/" + record.key());
                    }
                    handled.add(record.value());
                }).build().start();
        try {
            Await.until("the processor stopped", Duration.ofSeconds(30), () -> !processor.isRunning(),
                    processor::failure);
        } finally {
            processor.close();
        }
        Map<TopicPartition, Long> committed = broker.committed(pipeline.group());
        KafkaNumbers.print("dead-letter-too-large", String.format("events=3 handled=%s state=%s failure=%s "
                        + "produce-failures=%d stopped=%d committed=%s dead-letter=%d", handled, processor.state(),
                processor.failure().map(Throwable::getClass).map(Class::getSimpleName).orElse("none"),
                listener.produceFailures.size(), listener.stopped.size(), committed.values(),
                broker.records(deadLetter).size()));

        assertThat(processor.state()).isEqualTo(ProcessorState.FAILED);
        assertThat(processor.failure()).containsInstanceOf(RecordTooLargeException.class);
        assertThat(listener.stopped).hasSize(1);
        assertThat(listener.produceFailures).as("not tried again: it cannot succeed").isEmpty();
        assertThat(committed.getOrDefault(new TopicPartition(pipeline.source(), 0), 0L))
                .as("nothing past the record that could not be routed").isLessThanOrEqualTo(1L);
        assertThat(broker.records(deadLetter)).isEmpty();
    }

    @Test
    void aHandlerLongerThanTheConsumersPollIntervalCausesNoRebalanceAndNoDuplicate(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "long-handler", 1);
        for (int i = 0; i < 5; i++) {
            broker.send(new ProducerRecord<>(pipeline.source(), 0, bytes("article-" + i), bytes("event-" + i)));
        }
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        RecordingListener listener = new RecordingListener();
        long started = System.nanoTime();
        try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, pipeline.group(),
                        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 10_000,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500))
                .closeTimeout(Duration.ofSeconds(20))
                .listener(listener)
                .handler(record -> {
                    calls.merge(record.value(), 1, Integer::sum);
                    if (record.value().equals("event-0")) {
                        // A call that takes 15 s: nothing releases it sooner.
                        assertThat(new java.util.concurrent.CountDownLatch(1).await(15, TimeUnit.SECONDS)).isFalse();
                    }
                }).build().start()) {
            Await.until("every event handled", Duration.ofSeconds(60),
                    () -> listener.handled.size() == 5 && pipeline.committedToEnd(pipeline.source()),
                    processor::failure);
        }
        KafkaNumbers.print("handler-longer-than-poll-interval", String.format("events=5 handler=15s "
                        + "max.poll.interval.ms=10000 calls=%s handled=%d took=%dms", new java.util.TreeMap<>(calls),
                listener.handled.size(), Duration.ofNanos(System.nanoTime() - started).toMillis()));

        assertThat(calls).hasSize(5).allSatisfy((event, n) -> assertThat(n).as(event).isEqualTo(1));
        assertThat(listener.handled).hasSize(5);
    }

    @Test
    void aClosedHttpClientStopsTheProcessorAndTheEventIsNeitherRoutedNorCommitted(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "closed-client", 1);
        broker.send(new ProducerRecord<>(pipeline.source(), 0, bytes("article-0"), bytes("event-0")));
        ResilientHttpClient client = TestClients.shortBackoff();
        client.close();
        RecordingListener listener = new RecordingListener();
        ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .listener(listener)
                .asyncHandler(record -> client.sendAsync(VersionedApi.post(java.net.URI.create(
                        "http://127.0.0.1:9/articles/"), record.key(), 1), BodyHandlers.discarding()))
                .build().start();
        try {
            Await.until("the processor stopped", Duration.ofSeconds(30), () -> !processor.isRunning(),
                    processor::failure);
        } finally {
            processor.close();
        }

        assertThat(processor.state()).isEqualTo(ProcessorState.FAILED);
        assertThat(processor.failure()).containsInstanceOf(dev.resilienthttp.core.ClientClosedException.class);
        assertThat(listener.routed).isEmpty();
        assertThat(broker.records(pipeline.deadLetter())).isEmpty();
        assertThat(broker.committed(pipeline.group()).getOrDefault(new TopicPartition(pipeline.source(), 0), 0L))
                .isZero();
    }

    /** How the handler meets a cancellation the processor did not ask for. */
    enum OwnCancellation {
        /** An asynchronous handler returns a stage already cancelled (a disposed Mono's {@code toFuture()}). */
        CANCELLED_STAGE,
        /** A blocking handler waits on a future its own code cancelled. */
        GET_ON_A_CANCELLED_FUTURE
    }

    @ParameterizedTest
    @EnumSource(OwnCancellation.class)
    void aCancellationThatDidNotComeFromCloseIsOneFailedPassDeadLetteredWhileTheOtherEventsGoOn(OwnCancellation how,
            KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "own-cancel", 1);
        for (int i = 0; i < 3; i++) {
            broker.send(new ProducerRecord<>(pipeline.source(), 0, bytes("article-" + i), bytes("event-" + i)));
        }
        AtomicInteger cancelledRuns = new AtomicInteger();
        RecordingListener listener = new RecordingListener();
        ResilientEventProcessorBuilder<String, String> builder = pipeline.processor(Serdes.String())
                .maxPasses(3)
                .listener(listener);
        if (how == OwnCancellation.CANCELLED_STAGE) {
            builder.asyncHandler(record -> {
                if (!record.value().equals("event-1")) {
                    return CompletableFuture.completedFuture(null);
                }
                cancelledRuns.incrementAndGet();
                return CompletableFuture.failedFuture(new CancellationException("disposed by the handler"));
            });
        } else {
            builder.handler(record -> {
                if (record.value().equals("event-1")) {
                    cancelledRuns.incrementAndGet();
                    CompletableFuture<Void> call = new CompletableFuture<>();
                    call.cancel(true);
                    try {
                        call.get();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        }
        try (ResilientEventProcessor<String, String> processor = builder.build().start()) {
            Await.until("event-1 routed and every offset committed", Duration.ofSeconds(10),
                    () -> listener.routed.size() == 1 && pipeline.committedToEnd(pipeline.source()),
                    () -> "runs of event-1: " + cancelledRuns.get() + ", routed: " + listener.routed
                            + ", handled: " + listener.handled + ", " + processor.failure());
        }

        assertThat(listener.routed).singleElement().satisfies(routed -> {
            assertThat(routed.offset()).isEqualTo(1L);
            assertThat(routed.route()).isEqualTo(Route.DEAD_LETTER_TOPIC);
            assertThat(routed.kind()).isEqualTo(FailureHeaders.KIND_HANDLER_ERROR);
            assertThat(routed.failCount()).isEqualTo(1);
        });
        assertThat(cancelledRuns).as("one pass, within maxPasses").hasValue(1);
        assertThat(listener.handled).containsExactlyInAnyOrder(
                pipeline.source() + "-0@0", pipeline.source() + "-0@2");
        assertThat(broker.records(pipeline.deadLetter())).hasSize(1);
    }

    @Test
    void aStartThatFailsLeavesNoKafkaClientThreadBehind(KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "failed-start", 1);
        Set<String> before = kafkaClientThreads();
        ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                // The consumer's constructor refuses this, after the producer was made to check the topics.
                .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, pipeline.group(),
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, -5))
                .handler(record -> { }).build();

        assertThatThrownBy(processor::start).isInstanceOf(org.apache.kafka.common.KafkaException.class);
        Await.until("the producer's thread gone", Duration.ofSeconds(10),
                () -> kafkaClientThreads().equals(before), () -> kafkaClientThreads());
        assertThat(processor.isRunning()).isFalse();
        assertThat(processor.state()).isEqualTo(ProcessorState.NEW);
    }

    @Test
    void virtualThreadsAreRefusedOnJava17WithAMessageThatSaysWhy(KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "virtual", 1);
        ResilientEventProcessorBuilder<String, String> builder = pipeline.processor(Serdes.String())
                .virtualThreads(true).handler(record -> { });
        if (Runtime.version().feature() < 21) {
            assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("virtual threads need Java 21");
            return;
        }
        broker.send(new ProducerRecord<>(pipeline.source(), 0, bytes("article-0"), bytes("event-0")));
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .virtualThreads(true)
                .handler(record -> virtual.add(isVirtual(Thread.currentThread())))
                .build().start()) {
            Await.until("the event handled", Duration.ofSeconds(30), () -> virtual.size() == 1, processor::failure);
        }
        assertThat(virtual).containsExactly(true);
    }

    /** {@code Thread.isVirtual()}, a Java 21 method, called by reflection: the tests are built for Java 17. */
    private static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> kafkaClientThreads() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        Thread.getAllStackTraces().keySet().forEach(thread -> {
            if (thread.getName().startsWith("kafka-producer-network-thread")
                    || thread.getName().startsWith("resilient-event")) {
                names.add(thread.getName());
            }
        });
        return names;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
