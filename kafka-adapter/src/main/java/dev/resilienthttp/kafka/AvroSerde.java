package dev.resilienthttp.kafka;

import dev.resilienthttp.kafka.internal.GenericRecordSerde;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Kafka (de)serializers for Avro values as {@link GenericRecord}s in plain binary Avro with one known schema: no
 * magic byte, no schema id, no registry. For topics written with Confluent's framing, wrap these or bring your own
 * {@link Serde}: the processor takes any.
 */
public final class AvroSerde {
    private AvroSerde() {
    }

    /**
     * A serde that writes and reads {@code schema}. A value that is not such a record fails to deserialize with a
     * {@code SerializationException}, which sends it to the dead-letter topic.
     */
    public static Serde<GenericRecord> genericRecord(Schema schema) {
        return new GenericRecordSerde(schema);
    }
}
