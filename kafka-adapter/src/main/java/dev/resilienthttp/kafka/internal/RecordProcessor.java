package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.kafka.EventHandler;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.FailureHeaders;
import dev.resilienthttp.kafka.Route;
import dev.resilienthttp.kafka.RoutingDecision;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One record, one pass: checks it is due, deserializes it, calls the handler, and on failure decides the route and
 * builds the routed copy. It touches no Kafka client: the loop around it consumes, produces and commits.
 */
final class RecordProcessor<K, V> {
    private final Serde<K> keys;
    private final Serde<V> values;
    private final EventHandler<K, V> handler;
    private final FailureFields<V> fields;
    private final int maxFailCount;
    private final Backoff retryDelay;
    private final String errorTopic;
    private final String deadLetterTopic;
    private final Clock clock;

    RecordProcessor(ProcessorSettings<K, V> settings) {
        this.keys = settings.keySerde();
        this.values = settings.valueSerde();
        this.handler = settings.handler();
        this.fields = settings.failureFields();
        this.maxFailCount = settings.maxFailCount();
        this.retryDelay = settings.retryDelay();
        this.errorTopic = settings.errorTopic();
        this.deadLetterTopic = settings.deadLetterTopic();
        this.clock = settings.clock();
    }

    /** Processes {@code raw}; an {@link InterruptedException} from the handler means the record is not done. */
    Step process(ConsumerRecord<byte[], byte[]> raw) throws InterruptedException {
        Instant notBefore = HeaderValues.instant(raw.headers(), FailureHeaders.NOT_BEFORE);
        if (notBefore != null && clock.instant().isBefore(notBefore)) {
            return Step.notDue(notBefore);
        }
        K key;
        V value;
        try {
            key = keys.deserializer().deserialize(raw.topic(), raw.headers(), raw.key());
        } catch (RuntimeException e) {
            return badInput(raw, FailureHeaders.KIND_UNDESERIALIZABLE, e, "cannot deserialize the key of " + at(raw));
        }
        try {
            value = values.deserializer().deserialize(raw.topic(), raw.headers(), raw.value());
        } catch (RuntimeException e) {
            return badInput(raw, FailureHeaders.KIND_UNDESERIALIZABLE, e, "cannot deserialize the value of " + at(raw));
        }
        try {
            handler.handle(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(),
                    raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(), key, value, raw.headers(),
                    raw.leaderEpoch()));
            return Step.done();
        } catch (HttpFailureException e) {
            return httpFailure(raw, value, e.report());
        } catch (RuntimeException e) {
            return failed(raw, value, Failure.handlerError(e), null);
        }
    }

    private Step httpFailure(ConsumerRecord<byte[], byte[]> raw, V value, FailureReport report) {
        int soFar;
        try {
            soFar = fields.failCount(value, raw.headers());
        } catch (RuntimeException e) {
            return badInput(raw, FailureHeaders.KIND_INVALID_EVENT, e, "cannot count the failure of " + at(raw)
                    + " after " + report.failReason());
        }
        RoutingDecision decision = RoutingDecision.of(report.kind(), soFar, maxFailCount);
        if (decision.route() == Route.PAUSE) {
            return Step.pause(report.failReason());
        }
        return failed(raw, value, Failure.of(report), decision);
    }

    /** Routes a deserialized event, its failure fields written by {@link FailureFields}. */
    private Step failed(ConsumerRecord<byte[], byte[]> raw, V value, Failure failure, RoutingDecision decided) {
        RoutingDecision decision;
        try {
            decision = decided != null ? decided : RoutingDecision.permanent(fields.failCount(value, raw.headers()));
        } catch (RuntimeException e) {
            return badInput(raw, FailureHeaders.KIND_INVALID_EVENT, e, "cannot count the failure of " + at(raw)
                    + " after " + failure.reason());
        }
        Instant now = clock.instant();
        // The due time grows with the passes made, counted or not, so a long circuit-open spell does not spin.
        Instant notBefore = decision.route() == Route.ERROR_TOPIC
                ? now.plus(retryDelay.after(FailureHeaderWriter.passes(raw.headers()), Duration.ZERO)) : null;
        Headers headers = FailureHeaderWriter.headers(raw, failure, now, notBefore);
        byte[] bytes;
        try {
            V written = fields.write(value, headers, decision.failCount(), failure.reason());
            bytes = written == value ? raw.value() : values.serializer().serialize(raw.topic(), headers, written);
        } catch (RuntimeException e) {
            return badInput(raw, FailureHeaders.KIND_INVALID_EVENT, e, "cannot write the failure fields of "
                    + at(raw) + " after " + failure.reason());
        }
        return route(raw, decision, failure.kind(), bytes, headers);
    }

    /** Routes the record's bytes as they are, to the dead-letter topic, the failure fields in headers. */
    private Step badInput(ConsumerRecord<byte[], byte[]> raw, String kind, RuntimeException error, String what) {
        Failure failure = Failure.badInput(kind, error, what);
        RoutingDecision decision = RoutingDecision.permanent(HeaderFailureFields.failCount(raw.headers()));
        Headers headers = FailureHeaderWriter.headers(raw, failure, clock.instant(), null);
        HeaderFailureFields.writeTo(headers, decision.failCount(), failure.reason());
        return route(raw, decision, kind, raw.value(), headers);
    }

    private Step route(ConsumerRecord<byte[], byte[]> raw, RoutingDecision decision, String kind, byte[] value,
                       Headers headers) {
        String topic = decision.route() == Route.ERROR_TOPIC ? errorTopic : deadLetterTopic;
        // Same partition and key: the order of an entity's events survives, and the timestamp is the routing time,
        // so the topic's retention counts from when the event arrived there (AWS SQS's dead-letter retention trap).
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, raw.partition(), null, raw.key(), value,
                headers);
        return Step.route(new RoutedCopy(copy, decision.route(), kind, decision.failCount()));
    }

    private static String at(ConsumerRecord<?, ?> raw) {
        return raw.topic() + "-" + raw.partition() + "@" + raw.offset();
    }
}
