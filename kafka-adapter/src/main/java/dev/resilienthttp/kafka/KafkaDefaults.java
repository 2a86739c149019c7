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

    /**
     * Records whose handler runs at once, per processor. By Little's law a processor's rate is this over the call's
     * latency: 32 keeps 1,000 events/s per processor up to a 32 ms API. Measured with the incident replay (20 ms API,
     * 4 processors, 2 cores, see the README): 1,067 events/s at 16 and 1,079-1,139 at 32, the machine the limit; at
     * 64 and 128 (256 and 512 connections opened at once) the overloaded client left new connections unused past the
     * replay's 400 ms NAT limit, their resets opened the breaker, and the runs fell below 100 events/s. More only
     * holds more connections, threads (a blocking handler's pool) and records to redo.
     */
    static final int MAX_IN_FLIGHT = 32;

    /**
     * Failed passes, counted or not, after which an event goes to the dead-letter topic: with the default delays,
     * about two and a half hours of tries. Bounds an event that the protections refuse on every pass.
     */
    static final int MAX_PASSES = 10;

    /** The first wait before held records run again: a half-open circuit lets probes through within seconds. */
    static final Duration HOLD_RETRY = Duration.ofSeconds(1);

    /** ...doubling up to this, core's breaker open time: trying more often only meets the open circuit. */
    static final Duration HOLD_RETRY_CAP = Duration.ofSeconds(30);

    /**
     * The longest a record is held: core's call deadline. After it, the record goes to the error topic (uncounted),
     * so an outage costs at most {@code maxInFlight} error-topic copies per this time.
     */
    static final Duration MAX_HOLD = Duration.ofMinutes(5);

    /** At most ten commits a second while records are in flight: a crash redoes at most this much done work. */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    /** A failed produce is tried again soon: a leader election takes about this long. */
    static final Duration PRODUCE_BACKOFF = Duration.ofMillis(100);

    /** ...doubling up to this, so that an outage of the brokers is not hammered. */
    static final Duration PRODUCE_BACKOFF_CAP = Duration.ofSeconds(30);

    /** How often the loop looks at due times, the block and close() while no record arrives. */
    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** How long close() lets a handler finish its record before it interrupts it, and again for the clients. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The shortest {@code closeTimeout}: half of it bounds every commit, and a commit below half a second times out
     * on a broker round trip that is merely slow, leaving offsets uncommitted turn after turn.
     */
    static final Duration MIN_CLOSE_TIMEOUT = Duration.ofSeconds(1);

    /**
     * A rebalance's wait for the runs of the revoked partitions, and each commit while consuming, take at most this
     * share of {@code max.poll.interval.ms}: the wait and its commit run inside {@code poll()}, so together they take
     * at most half of it (the turn's own commit another quarter), and the member is not dropped from the group, its
     * commit refused and its records redone by the next owner, for handing its partitions over slowly. The final
     * commit, made after the last poll, is not limited by it.
     */
    static final int POLL_INTERVAL_SHARE = 4;

    /**
     * The shortest {@code max.poll.interval.ms}: a quarter of it bounds each commit while consuming, and a commit
     * shorter than half of {@link #MIN_CLOSE_TIMEOUT} (500 ms) times out on a broker round trip that is merely slow,
     * leaving offsets uncommitted turn after turn; under 4 ms it would be no time at all.
     */
    static final Duration MIN_POLL_INTERVAL = MIN_CLOSE_TIMEOUT.dividedBy(2).multipliedBy(POLL_INTERVAL_SHARE);

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
