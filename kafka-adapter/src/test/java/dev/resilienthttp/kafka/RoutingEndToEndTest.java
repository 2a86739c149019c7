package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.kafka.internal.HeaderValues;
import dev.resilienthttp.faults.Await;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each routing rule against the real broker: what reaches the error and dead-letter topics, with which fields and
 * headers, and what the group commits. The handler calls a loopback API through {@code ResilientHttpClient} with
 * the standard policy's decisions and short backoff steps.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class RoutingEndToEndTest {
    private static HttpOrigin origin;

    @BeforeAll
    static void startTheApi() {
        // /articles/gone-* is 404, /articles/down-* is 503 without Retry-After, anything else 200.
        origin = HttpOrigin.start(path -> path.contains("/gone-") ? 404 : path.contains("/down-") ? 503 : 200);
    }

    @AfterAll
    static void stopTheApi() {
        origin.close();
    }

    @Test
    void aNotFoundEventIsDeadLetteredAtOnceWithFailCountOneAndAReasonNamingTheStatusAndPath(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "not-found", 1);
        broker.send(ArticleEvents.record(pipeline.source(), null, ArticleEvents.event("gone-1")));
        RecordingListener listener = runUntil(pipeline, listenerSees -> listenerSees.routed.size() == 1);

        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
        GenericRecord dead = ArticleEvents.read(deadLetters.get(0).value());
        KafkaNumbers.print("not-found-404", String.format("events=1 error-topic=%d dead-letter=%d fail_count=%d "
                        + "http-attempts=%s fail_reason=\"%s\"", broker.records(pipeline.error()).size(),
                deadLetters.size(), ArticleEvents.failCount(dead), header(deadLetters.get(0), FailureHeaders.ATTEMPTS),
                ArticleEvents.failReason(dead)));

        assertThat(broker.records(pipeline.error())).isEmpty();
        assertThat(deadLetters).hasSize(1);
        assertThat(ArticleEvents.failCount(dead)).isEqualTo(1);
        assertThat(ArticleEvents.failReason(dead)).contains("HTTP 404").contains("/articles/gone-1")
                .startsWith("CLIENT_ERROR");
        assertThat(header(deadLetters.get(0), FailureHeaders.KIND)).isEqualTo("CLIENT_ERROR");
        assertThat(header(deadLetters.get(0), FailureHeaders.OUTCOME)).isEqualTo("PROCESSED");
        assertThat(header(deadLetters.get(0), FailureHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(header(deadLetters.get(0), FailureHeaders.ORIGINAL_TOPIC)).isEqualTo(pipeline.source());
        assertThat(new String(deadLetters.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("gone-1");
        assertThat(listener.routed.get(0).failCount()).isEqualTo(1);
        assertThat(pipeline.committedToEnd(pipeline.source())).isTrue();
    }

    @Test
    void aPersistentServiceUnavailableGoesThroughTheErrorTopicThenDeadLettersAtMaxFailCount(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "unavailable", 1);
        broker.send(ArticleEvents.record(pipeline.source(), null, ArticleEvents.event("down-1")));
        RecordingListener listener = runUntil(pipeline,
                seen -> seen.routedTo(Route.DEAD_LETTER_TOPIC) == 1);

        List<ConsumerRecord<byte[], byte[]>> errorTopic = broker.records(pipeline.error());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
        GenericRecord dead = ArticleEvents.read(deadLetters.get(0).value());
        KafkaNumbers.print("persistent-503", String.format("events=1 passes=%d error-topic=%d dead-letter=%d "
                        + "fail_count=%d http-attempts-per-pass=%s fail_reason=\"%s\"", listener.routed.size(),
                errorTopic.size(), deadLetters.size(), ArticleEvents.failCount(dead),
                header(deadLetters.get(0), FailureHeaders.ATTEMPTS), ArticleEvents.failReason(dead)));

        assertThat(errorTopic).hasSize(2);
        assertThat(errorTopic).extracting(r -> ArticleEvents.failCount(ArticleEvents.read(r.value())))
                .containsExactly(1, 2);
        assertThat(errorTopic).allSatisfy(r -> assertThat(header(r, FailureHeaders.NOT_BEFORE)).isNotNull());
        assertThat(deadLetters).hasSize(1);
        assertThat(ArticleEvents.failCount(dead)).isEqualTo(3);
        assertThat(ArticleEvents.failReason(dead)).startsWith("SERVER_ERROR after 6 attempts").contains("HTTP 503")
                .contains("/articles/down-1");
        assertThat(header(deadLetters.get(0), FailureHeaders.NOT_BEFORE)).isNull();
        assertThat(header(deadLetters.get(0), FailureHeaders.ORIGINAL_TOPIC))
                .as("the origin is the source topic, not the error topic it came from last").isEqualTo(pipeline.source());
        assertThat(header(deadLetters.get(0), FailureHeaders.FIRST_FAILURE_AT))
                .isEqualTo(header(errorTopic.get(0), FailureHeaders.FIRST_FAILURE_AT));
        assertThat(pipeline.committedToEnd(pipeline.source()) && pipeline.committedToEnd(pipeline.error())).isTrue();
    }

    @Test
    void aCallRefusedByAnOpenCircuitIsHeldAndRunAgainWithoutAnyErrorTopicCopy(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "circuit-open", 1);
        broker.send(ArticleEvents.record(pipeline.source(), null, ArticleEvents.event("article-1")));
        AtomicInteger calls = new AtomicInteger();
        RecordingListener listener = new RecordingListener();
        try (ResilientEventProcessor<String, GenericRecord> processor = pipeline.processor(ArticleEvents.SERDE)
                .failureFields(FailureFields.avro(ArticleEvents.SCHEMA)).listener(listener)
                .handler(record -> {
                    if (calls.incrementAndGet() == 1) {
                        throw Failures.refused(FailureKind.CIRCUIT_OPEN, "http://api/articles/article-1",
                                "circuit open for api");
                    }
                }).build().start()) {
            Await.until("the event handled on its second try", Duration.ofSeconds(20),
                    () -> listener.handled.size() == 1 && pipeline.committedToEnd(pipeline.source()),
                    processor::failure);
            KafkaNumbers.print("circuit-open", String.format("events=1 handler-calls=%d held=%d released=%d "
                            + "error-topic=%d dead-letter=%d", calls.get(), listener.held.size(),
                    listener.released.get(), broker.records(pipeline.error()).size(),
                    broker.records(pipeline.deadLetter()).size()));

            assertThat(calls).hasValue(2);
            assertThat(listener.held).hasSize(1);
            assertThat(listener.held.get(0)).contains("CIRCUIT_OPEN");
            assertThat(listener.released).hasValue(1);
            assertThat(listener.routed).isEmpty();
            assertThat(broker.records(pipeline.error())).isEmpty();
            assertThat(broker.records(pipeline.deadLetter())).isEmpty();
        }
    }

    @Test
    void aHandlerBugDeadLettersTheEventWithTheExceptionClassAndTheNextEventsGoOn(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "handler-bug", 1);
        for (String article : List.of("article-1", "buggy-2", "article-3")) {
            broker.send(ArticleEvents.record(pipeline.source(), null, ArticleEvents.event(article)));
        }
        RecordingListener listener = new RecordingListener();
        try (ResilientEventProcessor<String, GenericRecord> processor = pipeline.processor(ArticleEvents.SERDE)
                .failureFields(FailureFields.avro(ArticleEvents.SCHEMA)).listener(listener)
                .handler(record -> {
                    if (record.key().startsWith("buggy")) {
                        throw new IllegalStateException("no title for " + record.key());
                    }
                }).build().start()) {
            Await.until("two handled, one routed", Duration.ofSeconds(20),
                    () -> listener.handled.size() == 2 && listener.routed.size() == 1, processor::failure);
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
        KafkaNumbers.print("handler-bug", String.format("events=3 handled=%d dead-letter=%d",
                listener.handled.size(), deadLetters.size()));

        assertThat(deadLetters).hasSize(1);
        GenericRecord dead = ArticleEvents.read(deadLetters.get(0).value());
        assertThat(ArticleEvents.failCount(dead)).isEqualTo(1);
        assertThat(ArticleEvents.failReason(dead))
                .isEqualTo("HANDLER_ERROR: java.lang.IllegalStateException: no title for buggy-2");
        assertThat(header(deadLetters.get(0), FailureHeaders.KIND)).isEqualTo(FailureHeaders.KIND_HANDLER_ERROR);
        assertThat(header(deadLetters.get(0), FailureHeaders.EXCEPTION_FQCN))
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(listener.handled).containsExactly(pipeline.source() + "-0@0", pipeline.source() + "-0@2");
    }

    @Test
    void anUndeserializableValueIsDeadLetteredAsItWasAndDoesNotBlockThePartition(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "bad-input", 1);
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        broker.send(ArticleEvents.record(pipeline.source(), null, ArticleEvents.event("article-1")));
        broker.send(new ProducerRecord<>(pipeline.source(), "article-2".getBytes(StandardCharsets.UTF_8), garbage));
        broker.send(ArticleEvents.record(pipeline.source(), null, ArticleEvents.event("article-3")));
        RecordingListener listener = runUntil(pipeline,
                seen -> seen.handled.size() == 2 && seen.routed.size() == 1);

        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
        KafkaNumbers.print("undeserializable", String.format("events=3 handled=%d dead-letter=%d reason=\"%s\"",
                listener.handled.size(), deadLetters.size(), header(deadLetters.get(0), FailureHeaders.FAIL_REASON)));

        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).value()).isEqualTo(garbage);
        assertThat(header(deadLetters.get(0), FailureHeaders.KIND)).isEqualTo(FailureHeaders.KIND_UNDESERIALIZABLE);
        assertThat(header(deadLetters.get(0), FailureHeaders.FAIL_COUNT)).isEqualTo("1");
        assertThat(header(deadLetters.get(0), FailureHeaders.FAIL_REASON))
                .contains("cannot deserialize the value of " + pipeline.source() + "-0@1")
                .contains("SerializationException").contains("ArticleUpdate");
        assertThat(pipeline.committedToEnd(pipeline.source())).isTrue();
    }

    @Test
    void anEventWithoutItsEventRecordIsDeadLetteredWithAClearReason(KafkaTestBroker broker) throws Exception {
        Schema optionalEvent = SchemaBuilder.record("ArticleUpdate").namespace("dev.resilienthttp.kafka.test")
                .fields().requiredString("article_id")
                .name("event").type().optional().type(ArticleEvents.SCHEMA.getField("event").schema())
                .endRecord();
        GenericRecord withoutEvent = new GenericData.Record(optionalEvent);
        withoutEvent.put("article_id", "gone-1");
        withoutEvent.put("event", null);
        Pipeline pipeline = Pipeline.create(broker, "missing-event", 1);
        broker.send(new ProducerRecord<>(pipeline.source(), "gone-1".getBytes(StandardCharsets.UTF_8),
                AvroSerde.genericRecord(optionalEvent).serializer().serialize(pipeline.source(), withoutEvent)));
        RecordingListener listener = new RecordingListener();
        try (ResilientHttpClient client = TestClients.shortBackoff();
             ResilientEventProcessor<String, GenericRecord> processor = pipeline
                .processor(AvroSerde.genericRecord(optionalEvent))
                .failureFields(FailureFields.avro(optionalEvent)).listener(listener)
                .handler(record -> TestClients.post(client, origin.uri("/articles/"), withIdentifier(record)))
                .build().start()) {
            Await.until("the event routed", Duration.ofSeconds(20), () -> listener.routed.size() == 1,
                    processor::failure);
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
        KafkaNumbers.print("missing-event-record", String.format("events=1 dead-letter=%d reason=\"%s\"",
                deadLetters.size(), header(deadLetters.get(0), FailureHeaders.FAIL_REASON)));

        assertThat(deadLetters).hasSize(1);
        assertThat(header(deadLetters.get(0), FailureHeaders.KIND)).isEqualTo(FailureHeaders.KIND_INVALID_EVENT);
        assertThat(header(deadLetters.get(0), FailureHeaders.FAIL_REASON))
                .contains("has no 'event' record").contains("event.fail_count").contains("HTTP 404");
    }

    /** The optional-event schema has no identifier to key the request by: use the article id. */
    private static ConsumerRecord<String, GenericRecord> withIdentifier(ConsumerRecord<String, GenericRecord> record) {
        GenericRecord article = ArticleEvents.event(record.key());
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(), article);
    }

    /**
     * Runs a processor of the Avro events, calling the API with a client of its own (a client's circuit breaker
     * remembers earlier tests' failures), until the listener has seen enough.
     */
    private static RecordingListener runUntil(Pipeline pipeline,
                                              java.util.function.Predicate<RecordingListener> enough)
            throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        try (ResilientHttpClient client = TestClients.shortBackoff();
             ResilientEventProcessor<String, GenericRecord> processor = pipeline.processor(ArticleEvents.SERDE)
                .failureFields(FailureFields.avro(ArticleEvents.SCHEMA)).listener(listener)
                .handler(record -> TestClients.post(client, origin.uri("/articles/"), record)).build().start()) {
            Await.until("the processor's work", Duration.ofSeconds(30), () -> enough.test(listener),
                    () -> listener.routed + " " + listener.handled + " " + processor.failure());
            Await.until("the source and error topics committed", Duration.ofSeconds(10),
                    () -> pipeline.committedToEnd(pipeline.source()) && pipeline.committedToEnd(pipeline.error()));
        }
        return listener;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return HeaderValues.text(record.headers(), key);
    }
}
