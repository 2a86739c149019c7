package dev.resilienthttp.kafka;

import java.time.Duration;

/** The Kafka adapter's defaults, in one place, each with the reason for its number. */
final class KafkaDefaults {
    /** Spring's {@code @RetryableTopic} and SmallRye's delayed-retry topics both default to 3 passes. */
    static final int MAX_FAIL_COUNT = 3;

    /**
     * The first error-topic delay. A pass already retried for up to core's 5 min deadline; a minute later a
     * restarted upstream or a reset circuit breaker (30 s open) has usually recovered.
     */
    static final Duration RETRY_DELAY = Duration.ofMinutes(1);

    /** Doubling per pass, but never longer than this: a due time hours away is indistinguishable from a loss. */
    static final Duration RETRY_DELAY_CAP = Duration.ofMinutes(30);

    /** A failed produce is tried again soon: a leader election takes about this long. */
    static final Duration PRODUCE_BACKOFF = Duration.ofMillis(100);

    /** ...doubling up to this, so that an outage of the brokers is not hammered. */
    static final Duration PRODUCE_BACKOFF_CAP = Duration.ofSeconds(30);

    /** How often the loop looks at due times, the block and close() while no record arrives. */
    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** How long close() lets a handler finish its record before it interrupts it, and again for the clients. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** kafka-clients' default {@code delivery.timeout.ms}, when the producer configuration does not set one. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofMillis(120_000);

    /**
     * Waiting for an acknowledgement a little longer than {@code delivery.timeout.ms}: the producer ends every
     * record by then, so a shorter wait would call a record lost that may still arrive (spring-kafka#1749).
     */
    static final Duration ACK_MARGIN = Duration.ofSeconds(5);

    private KafkaDefaults() {
    }
}
