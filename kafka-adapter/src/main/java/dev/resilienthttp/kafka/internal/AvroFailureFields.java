package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.FailureFields;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

import java.util.Objects;

/**
 * {@code fail_count} and {@code fail_reason} inside an Avro {@link GenericRecord}. GenericRecord, not generated
 * classes: Avro 1.12.2 refuses to read generated classes outside {@code org.apache.avro.SERIALIZABLE_PACKAGES},
 * and a library cannot know its users' packages.
 */
public final class AvroFailureFields implements FailureFields<GenericRecord> {
    private final AvroPath count;
    private final AvroPath reason;
    private final boolean countIsLong;

    /**
     * @throws IllegalArgumentException if {@code schema} has no such fields or they have the wrong types
     */
    public AvroFailureFields(Schema schema, String countPath, String reasonPath) {
        Objects.requireNonNull(schema, "schema");
        this.count = AvroPath.parse(countPath);
        this.reason = AvroPath.parse(reasonPath);
        Schema countType = count.leafSchema(schema);
        if (countType.getType() != Schema.Type.INT && countType.getType() != Schema.Type.LONG) {
            throw new IllegalArgumentException("'" + count + "' in " + schema.getFullName()
                    + " must be an int or a long, but is " + countType);
        }
        this.countIsLong = countType.getType() == Schema.Type.LONG;
        Schema reasonType = reason.leafSchema(schema);
        if (reasonType.getType() != Schema.Type.STRING) {
            throw new IllegalArgumentException("'" + reason + "' in " + schema.getFullName()
                    + " must be a string (or a union of null and a string), but is " + reasonType);
        }
    }

    @Override
    public int failCount(GenericRecord value, Headers headers) {
        Object current = count.parent(present(value)).get(count.leaf());
        if (!(current instanceof Number)) {
            return 0;
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, ((Number) current).longValue()));
    }

    @Override
    public GenericRecord write(GenericRecord value, Headers headers, int failCount, String failReason) {
        GenericRecord copy = GenericData.get().deepCopy(present(value).getSchema(), value);
        count.parent(copy).put(count.leaf(), countIsLong ? (Object) (long) failCount : (Object) failCount);
        reason.parent(copy).put(reason.leaf(), failReason);
        return copy;
    }

    private GenericRecord present(GenericRecord value) {
        if (value == null) {
            throw new IllegalArgumentException("a null value (a tombstone) cannot carry '" + count + "'");
        }
        return value;
    }
}
