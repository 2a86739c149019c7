package dev.resilienthttp.kafka;

import dev.resilienthttp.kafka.internal.AvroFailureFields;
import dev.resilienthttp.kafka.internal.HeaderFailureFields;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Where an event carries its {@code fail_count} (failed processing passes so far: 1 after its first routed
 * failure) and {@code fail_reason} (why the last pass failed, core's {@code FailureReport.failReason()}): in the
 * value itself ({@link #avro(Schema)}), or in headers, for any payload ({@link #headers()}).
 *
 * <p>The processor reads the count from the record it consumed and writes the new fields into the copy it routes.
 * HTTP attempts within a pass are not counted here: they travel in the {@value FailureHeaders#ATTEMPTS} header.
 *
 * @param <V> the value type
 */
public interface FailureFields<V> {
    /**
     * The event's {@code fail_count} so far: 0 for an event that never failed.
     *
     * @param value   the deserialized value
     * @param headers the consumed record's headers
     * @throws IllegalArgumentException if the value cannot carry the fields; the processor then dead-letters the
     *                                  record as {@value FailureHeaders#KIND_INVALID_EVENT} with this message
     */
    int failCount(V value, Headers headers);

    /**
     * Writes the new fields for the routed copy.
     *
     * @param value      the deserialized value, which is not changed
     * @param headers    the routed record's headers, to which fields may be added
     * @param failCount  the new {@code fail_count}
     * @param failReason the new {@code fail_reason}, at most a few hundred characters
     * @return the value to route: {@code value} itself, or a changed copy
     * @throws IllegalArgumentException as {@link #failCount}
     */
    V write(V value, Headers headers, int failCount, String failReason);

    /**
     * The fields as the headers {@value FailureHeaders#FAIL_COUNT} and {@value FailureHeaders#FAIL_REASON}: the
     * value is routed byte for byte as it was consumed.
     */
    static <V> FailureFields<V> headers() {
        return new HeaderFailureFields<>();
    }

    /**
     * The fields inside an Avro value, at {@code event.fail_count} and {@code event.fail_reason}: the shape of the
     * incident's article-update event, whose nested {@code event} record holds {@code identifier},
     * {@code type}, {@code date_created}, {@code fail_count} and {@code fail_reason}.
     *
     * @throws IllegalArgumentException if {@code schema} has no such fields, naming what it has instead
     */
    static FailureFields<GenericRecord> avro(Schema schema) {
        return avro(schema, "event.fail_count", "event.fail_reason");
    }

    /**
     * The fields inside an Avro value at the given dotted paths. Each step but the last must be a record (or a
     * union of null and a record); the count must be an {@code int} or {@code long}, the reason a {@code string}
     * or a union of null and a string.
     *
     * @throws IllegalArgumentException if {@code schema} has no such fields, naming what it has instead
     */
    static FailureFields<GenericRecord> avro(Schema schema, String failCountPath, String failReasonPath) {
        return new AvroFailureFields(schema, failCountPath, failReasonPath);
    }
}
