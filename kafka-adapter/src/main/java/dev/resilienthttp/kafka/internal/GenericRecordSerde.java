package dev.resilienthttp.kafka.internal;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * Plain binary Avro with one known schema, no framing and no registry (Confluent's serializer is not on Maven
 * Central). A {@code null} value stays {@code null} (a tombstone). Thread-safe: readers and writers are cheap and made
 * per call.
 */
public final class GenericRecordSerde implements Serde<GenericRecord> {
    private final Schema schema;

    public GenericRecordSerde(Schema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return (topic, record) -> record == null ? null : write(record);
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return (topic, data) -> data == null ? null : read(data);
    }

    private byte[] write(GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new SerializationException("cannot write the value as Avro " + schema.getFullName() + ": " + e, e);
        }
    }

    private GenericRecord read(byte[] data) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, null);
            GenericRecord record = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("not a binary Avro " + schema.getFullName() + ": "
                        + "bytes left over after the record (" + data.length + " bytes in all)");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException) {
                throw (SerializationException) e;
            }
            throw new SerializationException("not a binary Avro " + schema.getFullName() + " (" + data.length
                    + " bytes): " + e, e);
        }
    }
}
