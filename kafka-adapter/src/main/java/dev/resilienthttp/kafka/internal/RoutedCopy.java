package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.Route;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Objects;

/**
 * The copy of a failed record to produce, and what the processor reports once it is acknowledged.
 *
 * @param record       the copy: same key, same partition, new headers and failure fields
 * @param route        the topic it goes to
 * @param kind         what failed the pass
 * @param failCount    the copy's {@code fail_count}
 */
record RoutedCopy(ProducerRecord<byte[], byte[]> record, Route route, String kind, int failCount) {
    RoutedCopy {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(kind, "kind");
    }
}
