package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;

/**
 * One consumed record from the moment it is fetched until it is done (handled, or its routed copy acknowledged).
 * Owned by the processor's thread; a handler's thread only reads {@link #record}.
 */
final class Work {
    final ConsumerRecord<byte[], byte[]> raw;
    final TopicPartition partition;
    /** Records with equal order keys run one at a time, in the order they were fetched. */
    final Object orderKey;
    /** The deserialized record the handler gets, once decoded. */
    ConsumerRecord<?, ?> record;
    /** The handler's run in progress, to cancel on close. */
    Runnable cancel;
    boolean running;
    /** The partition was revoked: whatever this work still does is not ours to commit. */
    boolean abandoned;
    /** When a protection first refused this record's call, or 0; and what the last refusal was. */
    long heldSinceNanos;
    Throwable refusal;
    /** The copy to produce, once routed, and how many times producing it failed. */
    RoutedCopy copy;
    int produceFailures;

    Work(ConsumerRecord<byte[], byte[]> raw) {
        this.raw = raw;
        this.partition = new TopicPartition(raw.topic(), raw.partition());
        // A keyed event waits for the one before it of the same key, whatever topic it came from; a record without a
        // key keeps its partition's order.
        this.orderKey = raw.key() == null ? partition : ByteBuffer.wrap(raw.key());
    }

    long offset() {
        return raw.offset();
    }

    @Override
    public String toString() {
        return partition + "@" + raw.offset();
    }
}
