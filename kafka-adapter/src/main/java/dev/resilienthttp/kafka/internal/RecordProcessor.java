package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.ClientClosedException;
import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.FailureHeaders;
import dev.resilienthttp.kafka.Route;
import dev.resilienthttp.kafka.RoutingDecision;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;

/**
 * One record, one pass, without the handler's run: checks it is due, deserializes it, and once the handler ended
 * decides what the loop does: done, hold, pause, stop, or the routed copy to produce. It touches no Kafka client.
 */
final class RecordProcessor<K, V> {
    private final Serde<K> keys;
    private final Serde<V> values;
    private final FailureFields<V> fields;
    private final int maxFailCount;
    private final int maxPasses;
    private final Duration maxHold;
    private final Backoff retryDelay;
    private final String errorTopic;
    private final String deadLetterTopic;
    private final Clock clock;

    RecordProcessor(ProcessorSettings<K, V> settings) {
        this.keys = settings.keySerde();
        this.values = settings.valueSerde();
        this.fields = settings.failureFields();
        this.maxFailCount = settings.maxFailCount();
        this.maxPasses = settings.maxPasses();
        this.maxHold = settings.maxHold();
        this.retryDelay = settings.retryDelay();
        this.errorTopic = settings.errorTopic();
        this.deadLetterTopic = settings.deadLetterTopic();
        this.clock = settings.clock();
    }

    /** When an error-topic record is due, if that is still to come; {@code null} if it may run now. */
    Instant notYetDue(ConsumerRecord<byte[], byte[]> raw) {
        Instant notBefore = HeaderValues.instant(raw.headers(), FailureHeaders.NOT_BEFORE);
        return notBefore != null && clock.instant().isBefore(notBefore) ? notBefore : null;
    }

    /**
     * Deserializes the work's record into {@link Work#record}.
     *
     * @return {@code null} when the handler may run, or the dead-letter route of a record that cannot be read
     */
    Step decode(Work work) {
        ConsumerRecord<byte[], byte[]> raw = work.raw;
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
        work.record = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(),
                raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(), key, value, raw.headers(),
                raw.leaderEpoch());
        return null;
    }

    /**
     * What to do after the handler ran on the decoded work.
     *
     * @param error   {@code null} when the handler succeeded, else what it threw (or its stage failed with)
     * @param mayHold whether a refusal may still hold the record, or it has waited its longest
     * @param closing whether the processor is closing, so that it may have cancelled the handler itself
     */
    @SuppressWarnings("unchecked")
    Step after(Work work, Throwable error, boolean mayHold, boolean closing) {
        if (error == null) {
            return Step.done();
        }
        Throwable cause = Handlers.unwrap(error);
        V value = (V) work.record.value();
        if (cause instanceof HttpFailureException) {
            return httpFailure(work.raw, value, ((HttpFailureException) cause).report(), mayHold);
        }
        boolean cancelled = cause instanceof InterruptedException || cause instanceof CancellationException
                || cause instanceof InterruptException;
        // Only a close cancels a handler whose end counts. Any other cancel came from the handler's own code (a stage
        // it cancelled, a disposed Mono, a get() on a cancelled future): a failure of the handler like any other it
        // throws, so a counted pass dead-lettered as HANDLER_ERROR below, where a person sees it. The error topic
        // would retry, as transient, what the API never answered and retrying need not cure.
        if (cancelled && closing) {
            return Step.notDone();
        }
        if (cause instanceof ClientClosedException) {
            // The application is shutting down: the next run does this event.
            return Step.stop(cause);
        }
        if (cause instanceof Error) {
            return Step.stop(cause);
        }
        RuntimeException bug = cause instanceof RuntimeException ? (RuntimeException) cause
                : new IllegalStateException("the handler failed with a checked exception", cause);
        return failed(work.raw, value, Failure.handlerError(bug), null);
    }

    private Step httpFailure(ConsumerRecord<byte[], byte[]> raw, V value, FailureReport report, boolean mayHold) {
        int soFar;
        try {
            soFar = fields.failCount(value, raw.headers());
        } catch (RuntimeException e) {
            return badInput(raw, FailureHeaders.KIND_INVALID_EVENT, e, "cannot count the failure of " + at(raw)
                    + " after " + report.failReason());
        }
        RoutingDecision decision = RoutingDecision.of(report.kind(), report.attempts(), soFar, maxFailCount);
        if (decision.route() == Route.PAUSE) {
            return Step.pause(report.failReason());
        }
        Failure failure = Failure.of(report);
        if (decision.route() == Route.HOLD) {
            if (mayHold) {
                return Step.hold(report.failReason());
            }
            decision = RoutingDecision.afterHold(soFar);
            failure = failure.because("held for maxHold " + Durations.seconds(maxHold) + " without a call getting through");
        }
        return failed(raw, value, failure, decision);
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
        int pass = FailureHeaderWriter.passes(raw.headers());
        RoutingDecision limited = decision.limitPasses(pass, maxPasses);
        if (limited != decision) {
            failure = failure.because("maxPasses " + maxPasses + " reached (" + pass + " failed passes, "
                    + "fail_count " + limited.failCount() + ")");
            decision = limited;
        }
        Instant now = clock.instant();
        // The due time grows with the passes made, counted or not, so a long circuit-open spell does not spin.
        Instant notBefore = decision.route() == Route.ERROR_TOPIC
                ? now.plus(retryDelay.after(pass, Duration.ZERO)) : null;
        Headers headers = FailureHeaderWriter.headers(raw, failure, now, notBefore);
        byte[] bytes;
        try {
            V written = fields.write(value, headers, decision.failCount(), failure.reason());
            bytes = written == value ? raw.value() : values.serializer().serialize(raw.topic(), headers, written);
        } catch (RuntimeException e) {
            return badInput(raw, FailureHeaders.KIND_INVALID_EVENT, e, "cannot write the failure fields of "
                    + at(raw) + " after " + failure.reason());
        }
        return route(raw, decision, failure, bytes, headers);
    }

    /** Routes the record's bytes as they are, to the dead-letter topic, the failure fields in headers. */
    private Step badInput(ConsumerRecord<byte[], byte[]> raw, String kind, RuntimeException error, String what) {
        Failure failure = Failure.badInput(kind, error, what);
        RoutingDecision decision = RoutingDecision.permanent(HeaderFailureFields.failCount(raw.headers()));
        Headers headers = FailureHeaderWriter.headers(raw, failure, clock.instant(), null);
        HeaderFailureFields.writeTo(headers, decision.failCount(), failure.reason());
        return route(raw, decision, failure, raw.value(), headers);
    }

    private Step route(ConsumerRecord<byte[], byte[]> raw, RoutingDecision decision, Failure failure, byte[] value,
                       Headers headers) {
        String topic = decision.route() == Route.ERROR_TOPIC ? errorTopic : deadLetterTopic;
        // Same partition and key: the order of an entity's events survives, and the timestamp is the routing time,
        // so the topic's retention counts from when the event arrived there (AWS SQS's dead-letter retention trap).
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, raw.partition(), null, raw.key(), value,
                headers);
        return Step.route(new RoutedCopy(copy, decision.route(), failure.kind(), decision.failCount()));
    }

    private static String at(ConsumerRecord<?, ?> raw) {
        return raw.topic() + "-" + raw.partition() + "@" + raw.offset();
    }
}
