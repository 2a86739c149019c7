package dev.resilienthttp.fleet.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The fleet's settings, checked and immutable; the public builder makes one.
 *
 * @param topic        the compacted control topic
 * @param instance     this instance's id, for people (processes may share one)
 * @param run          this run's nonce, drawn at start: the records that carry it are this instance's own
 * @param consumer     the reader's Kafka configuration, complete
 * @param producer     the publisher's Kafka configuration, complete
 * @param blockQuorum  distinct instances whose {@code BLOCKED} latches a host here
 * @param holdQuorum   distinct instances whose {@code HOLD} holds a host here
 * @param latchExpiry  how long a {@code BLOCKED} record changes anything for a reader
 * @param logInterval  one log line per kind of trouble per this long
 * @param closeTimeout how long {@code close()} lets the Kafka clients finish (send what waits)
 * @param clock        the wall clock records are dated with and judged by
 */
public record FleetSettings(String topic, String instance, String run, Map<String, Object> consumer,
                            Map<String, Object> producer, int blockQuorum, int holdQuorum, Duration latchExpiry,
                            Duration logInterval, Duration closeTimeout, Clock clock) {
    /** Copies the maps. */
    public FleetSettings {
        consumer = Map.copyOf(consumer);
        producer = Map.copyOf(producer);
    }
}
