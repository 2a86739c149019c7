package dev.resilienthttp.kafka.internal;

import java.time.Duration;
import java.util.Map;

/**
 * A redrive's settings, checked and copied by {@code Redrive.Builder}.
 *
 * @param to             the target topic, or {@code null} for each record's original topic
 * @param ratePerSecond  the most records produced per second
 * @param limit          the most matching records to handle in this run
 * @param maxIdle        how long the run waits for records it knows exist before it gives up
 */
public record RedriveSettings(Map<String, Object> consumerConfig, Map<String, Object> producerConfig, String from,
                              String to, RedriveFilter filter, double ratePerSecond, long limit, boolean dryRun,
                              Duration pollTimeout, Duration maxIdle, Duration produceTimeout) {
    public RedriveSettings {
        consumerConfig = Map.copyOf(consumerConfig);
        producerConfig = Map.copyOf(producerConfig);
    }
}
