package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.kafka.EventHandler;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.ProcessorListener;
import org.apache.kafka.common.serialization.Serde;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Everything a processor was built with, checked and copied by its builder.
 *
 * @param consumerConfig  the consumer's configuration, with the forced settings applied
 * @param producerConfig  the producer's configuration, with the forced settings applied
 * @param produceTimeout  the longest wait for one routed copy's acknowledgement
 * @param commitTimeout   the longest wait for one commit
 */
public record ProcessorSettings<K, V>(Map<String, Object> consumerConfig, Map<String, Object> producerConfig,
                                      List<String> topics, String errorTopic, String deadLetterTopic,
                                      Serde<K> keySerde, Serde<V> valueSerde, EventHandler<K, V> handler,
                                      FailureFields<V> failureFields, int maxFailCount, Backoff retryDelay,
                                      Backoff produceBackoff, Duration produceTimeout, Duration commitTimeout,
                                      Duration pollTimeout, Duration closeTimeout, BooleanSupplier blockLifted,
                                      Clock clock, ProcessorListener listener) {
    public ProcessorSettings {
        consumerConfig = Map.copyOf(consumerConfig);
        producerConfig = Map.copyOf(producerConfig);
        topics = List.copyOf(topics);
    }
}
