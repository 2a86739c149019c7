package dev.resilienthttp.fleet;

import dev.resilienthttp.fleet.internal.Fleet;

/**
 * One instance of a service in its fleet: what its {@code RetryPolicy} finds about a host reaches every other
 * instance through a compacted Kafka control topic, and what they find reaches it. Signals, not shared counters:
 * each instance keeps its own protections, and the topic carries only their conclusions.
 *
 * <pre>{@code
 * FleetSignals fleet = FleetSignals.builder()
 *         .bootstrapServers("kafka-1:9092,kafka-2:9092")
 *         .topic("article-enricher.http-control")
 *         .start(policy);          // the RetryPolicy of this instance's ResilientHttpClient
 * ...
 * fleet.close();
 * }</pre>
 *
 * <p>What travels, one record per host per change of state:
 * <ul>
 *   <li>When the policy's 403 latch closes on a host, a {@code BLOCKED} record: the other instances latch the host
 *       at once, with the finder's reason in their log, their refused calls' reports and their MBean; their
 *       {@code ProtectionListener} hears {@code hostBlockedRemotely}, and a Kafka adapter's processor pauses as on a
 *       local latch. The latch stays until a person lifts it; the record stops mattering to instances started after
 *       its expiry (default 1 h).</li>
 *   <li>When a {@code Retry-After} holds a host, a {@code HOLD} record with its end: every instance holds the host
 *       until then, capped by its own {@code maxRetryAfter} as a local hold is.</li>
 *   <li>When a person calls {@code unblock(host)} on any instance, in code or through JMX, a {@code LIFT} record:
 *       every instance lifts its latch. That is the operator's procedure to resume the whole service.</li>
 * </ul>
 *
 * <p><b>The quorum rule</b> ({@link FleetSignalsBuilder#blockQuorum}, {@link FleetSignalsBuilder#holdQuorum}):
 * by default one instance is trusted for both. resilience4j and Polly declined to share breaker state because one
 * bad node would poison the others; that argument holds for a breaker, which opens on a node's own timeouts and
 * resets, and is why breaker states are not shared here. A latch is different: it takes 20 consecutive 403s, the
 * operators asked the service to stop, and a false stop costs a pause until one unblock while a missed one costs more
 * 403s at the operators. A hold is the server's own word to the one caller it sees, and is capped. Where one instance
 * can be wrong alone (per-instance credentials), require more: a host is then latched once that many distinct
 * instances report it, and held until the latest end that many agree on. A lift needs no quorum.
 *
 * <p><b>Fail-open.</b> Starting waits on nothing and fails on nothing Kafka does (bootstrap names that do not resolve
 * yet included), and no call ever waits on Kafka: a call's thread only leaves a signal for the publisher, at most one
 * per host (a newer one replaces it); a reader thread and a publisher thread of their own create the Kafka clients and
 * do the rest. With the topic unreachable every instance behaves exactly as it does alone, and logs that once per
 * 10 min; when the broker returns, signals flow again, a failed one included while it is its host's latest. A record
 * from a misconfigured peer (bad key, bad value) or past its expiry changes nothing and is logged once per 10 min.
 *
 * <p>Instances read the whole topic from the beginning with no consumer group, so no offset is ever committed, and
 * recognise their own records by a nonce each draws at start, so the instance id need not be unique. The record
 * format is described in this package's documentation.
 */
public final class FleetSignals implements AutoCloseable {
    private final Fleet fleet;

    FleetSignals(Fleet fleet) {
        this.fleet = fleet;
    }

    /** A builder with the defaults. */
    public static FleetSignalsBuilder builder() {
        return new FleetSignalsBuilder();
    }

    /** This instance's id, as its records name it (for people: it need not be unique). */
    public String instanceId() {
        return fleet.instance();
    }

    /**
     * Leaves the fleet: the policy is unlinked (it keeps what it was told), signals still waiting are sent, and the
     * reader and publisher threads stop, within about 5 s (what the broker has not taken by then is logged as not
     * sent). When it returns, no thread of the fleet is left.
     */
    @Override
    public void close() {
        fleet.close();
    }
}
