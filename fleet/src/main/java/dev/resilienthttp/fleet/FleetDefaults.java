package dev.resilienthttp.fleet;

import java.time.Duration;

/** The fleet module's defaults, in one place, each with the reason for its number. */
final class FleetDefaults {
    /**
     * One instance's latch is enough to stop the fleet. The latch already takes 20 consecutive 403s (or 90 % of 50),
     * which a few deleted resources cannot produce; the operators asked the service, not a process, to stop ("if you
     * see a ton of 403s, stop what you are doing and come talk to us"); and the two errors cost differently: a false
     * stop pauses work that waits in Kafka until one unblock, a missed stop sends 20 more 403s per instance at people
     * who asked us to stop. Raise it when one instance can be wrong alone (per-instance credentials).
     */
    static final int BLOCK_QUORUM = 1;

    /**
     * One instance's {@code Retry-After} holds the fleet: the operators see one caller (one User-Agent, one address)
     * and meant the wait for it; the hold is capped by each policy's {@code maxRetryAfter} (120 s), so one wrong
     * instance costs the fleet at most that long.
     */
    static final int HOLD_QUORUM = 1;

    /**
     * A {@code BLOCKED} record changes nothing for a reader after this. An instance that already latched stays
     * latched until a person lifts it; this only decides whether an instance started later (a deploy, an autoscaler)
     * starts blocked. An hour covers a working conversation with the operators; after it a new instance needs its
     * own 20 403s, then tells the others again. (A {@code LIFT} carries the same expiry but never expires: it lifts
     * only latches that closed before it, however late it is read.)
     */
    static final Duration LATCH_SIGNAL_EXPIRY = Duration.ofHours(1);

    /**
     * The longest the publisher thread waits for metadata or buffer space ({@code max.block.ms}; Kafka's default is
     * 60 s). It is never a call's thread, but a short wait lets it try again later and log rather than sit on a dead
     * broker, and bounds how long {@code close()} can wait on a broker never reached.
     */
    static final Duration MAX_BLOCK = Duration.ofSeconds(5);

    /**
     * The longest wait between two attempts to reach an unreachable broker ({@code reconnect.backoff.max.ms};
     * Kafka's default is 1 s). Kafka's {@code NetworkClient} logs a WARN line for each failed attempt, which at 1 s
     * floods the service's log during an outage; at 10 s it is a line every 10 s per client, and a broker that
     * returns is found again within 10 s.
     */
    static final Duration RECONNECT_BACKOFF_MAX = Duration.ofSeconds(10);

    /** The producer's buffer ({@code buffer.memory}; Kafka's default 32 MiB is for data): records are ~300 bytes. */
    static final long BUFFER_BYTES = 1024 * 1024;

    /** One log line per kind of trouble (bad records, an unreachable broker) per this long. */
    static final Duration LOG_INTERVAL = Duration.ofMinutes(10);

    /**
     * How long {@code close()} lets the Kafka clients finish (send what waits): a person's unblock just before a
     * shutdown still reaches the fleet, and a broker that is away delays the shutdown by no more than this.
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private FleetDefaults() {
    }
}
