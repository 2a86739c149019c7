package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.FailureHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.time.Instant;

/**
 * Writes a routed record's headers: the consumed record's own headers, minus every failure header of an earlier
 * pass, plus this pass's. Replacing instead of appending keeps a record that makes many passes from growing until
 * the broker refuses it (Spring Kafka's {@code RecordTooLargeException}, spring-kafka#1996).
 */
final class FailureHeaderWriter {
    private FailureHeaderWriter() {
    }

    /**
     * The headers of the copy of {@code consumed} routed after {@code failure}.
     *
     * @param notBefore when an error-topic copy is due, or {@code null} for a dead-letter copy
     */
    static Headers headers(ConsumerRecord<byte[], byte[]> consumed, Failure failure, Instant now, Instant notBefore) {
        Headers in = consumed.headers();
        RecordHeaders out = new RecordHeaders();
        for (Header header : in) {
            if (!FailureHeaders.isFailureHeader(header.key())) {
                out.add(header);
            }
        }
        writeOrigin(in, consumed, out);
        HeaderValues.putText(out, FailureHeaders.EXCEPTION_FQCN, failure.exceptionClass());
        HeaderValues.putText(out, FailureHeaders.EXCEPTION_MESSAGE, failure.reason());
        HeaderValues.putText(out, FailureHeaders.KIND, failure.kind());
        HeaderValues.putText(out, FailureHeaders.OUTCOME, failure.outcome().name());
        HeaderValues.putText(out, FailureHeaders.ATTEMPTS, Integer.toString(failure.attempts()));
        HeaderValues.putText(out, FailureHeaders.PASSES, Integer.toString(passes(in)));
        Instant first = HeaderValues.instant(in, FailureHeaders.FIRST_FAILURE_AT);
        HeaderValues.putText(out, FailureHeaders.FIRST_FAILURE_AT, (first != null ? first : now).toString());
        if (notBefore != null) {
            HeaderValues.putText(out, FailureHeaders.NOT_BEFORE, notBefore.toString());
        }
        return out;
    }

    /** This pass's number among the event's failed passes, counted or not. */
    static int passes(Headers consumed) {
        int before = HeaderValues.count(consumed, FailureHeaders.PASSES);
        return before == Integer.MAX_VALUE ? before : before + 1;
    }

    /** The first origin survives every hop: a redrive sends the event back where it entered the pipeline. */
    private static void writeOrigin(Headers in, ConsumerRecord<byte[], byte[]> consumed, Headers out) {
        String topic = HeaderValues.text(in, FailureHeaders.ORIGINAL_TOPIC);
        Integer partition = HeaderValues.int32(in, FailureHeaders.ORIGINAL_PARTITION);
        Long offset = HeaderValues.int64(in, FailureHeaders.ORIGINAL_OFFSET);
        Long timestamp = HeaderValues.int64(in, FailureHeaders.ORIGINAL_TIMESTAMP);
        boolean carried = topic != null && partition != null && offset != null;
        HeaderValues.putText(out, FailureHeaders.ORIGINAL_TOPIC, carried ? topic : consumed.topic());
        HeaderValues.putInt32(out, FailureHeaders.ORIGINAL_PARTITION, carried ? partition : consumed.partition());
        HeaderValues.putInt64(out, FailureHeaders.ORIGINAL_OFFSET, carried ? offset : consumed.offset());
        HeaderValues.putInt64(out, FailureHeaders.ORIGINAL_TIMESTAMP,
                carried && timestamp != null ? timestamp : consumed.timestamp());
    }
}
