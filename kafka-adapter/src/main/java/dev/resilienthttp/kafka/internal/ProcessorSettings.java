package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.ProcessorListener;
import org.apache.kafka.common.serialization.Serde;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Everything a processor was built with, checked and copied by its builder.
 *
 * @param consumerConfig the consumer's configuration, with the forced settings applied
 * @param producerConfig the producer's configuration, with the forced settings applied
 * @param handlers       makes where the handler runs, once per start
 * @param maxInFlight    the most records whose handler runs at once
 * @param maxPasses      the most failed passes, counted or not, before an event is dead-lettered
 * @param holdRetry      the waits between tries of held records
 * @param maxHold        the longest a record is held before it goes to the error topic
 * @param commitInterval the shortest time between two commits while records are in flight
 * @param commitTimeout  the longest wait for one commit while consuming, and a rebalance's for the runs of the
 *                       partitions it revokes: both run inside a poll, and must end well within
 *                       {@code max.poll.interval.ms}; not the final commit's, after the last poll
 */
public record ProcessorSettings<K, V>(Map<String, Object> consumerConfig, Map<String, Object> producerConfig,
                                      List<String> topics, String errorTopic, String deadLetterTopic,
                                      Serde<K> keySerde, Serde<V> valueSerde, Supplier<Handlers> handlers,
                                      int maxInFlight, FailureFields<V> failureFields, int maxFailCount,
                                      int maxPasses, Backoff retryDelay, Backoff produceBackoff, Backoff holdRetry,
                                      Duration maxHold, Duration commitInterval, Duration commitTimeout,
                                      Duration pollTimeout, Duration closeTimeout, BooleanSupplier blockLifted,
                                      Clock clock, ProcessorListener listener) {
    public ProcessorSettings {
        consumerConfig = Map.copyOf(consumerConfig);
        producerConfig = Map.copyOf(producerConfig);
        topics = List.copyOf(topics);
    }
}
