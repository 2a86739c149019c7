package dev.resilienthttp.fleet;

import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.fleet.internal.Fleet;
import dev.resilienthttp.fleet.internal.FleetSettings;
import dev.resilienthttp.retry.RetryPolicy;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Configures and starts a {@link FleetSignals}. Not thread-safe; {@link #start} copies what it holds.
 */
public final class FleetSignalsBuilder {
    private String bootstrapServers;
    private String topic;
    private String instanceId;
    private final Map<String, Object> kafkaConfig = new HashMap<>();
    private int blockQuorum = FleetDefaults.BLOCK_QUORUM;
    private int holdQuorum = FleetDefaults.HOLD_QUORUM;
    private Duration latchSignalExpiry = FleetDefaults.LATCH_SIGNAL_EXPIRY;

    FleetSignalsBuilder() {
    }

    /** The Kafka cluster that holds the control topic. Required. */
    public FleetSignalsBuilder bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        return this;
    }

    /** The control topic, compacted and shared by every instance of the service (see the README). Required. */
    public FleetSignalsBuilder topic(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        return this;
    }

    /**
     * This instance's id, for people: it names the instance in the records, so in the other instances' log lines,
     * refused calls' reports and MBeans (a pod name, say). It need not be unique: an instance knows its own records by
     * a nonce it draws at each start, so two processes sharing an id still share their signals, and an instance
     * restarted under the same name applies what it published before. A quorum ({@link #blockQuorum},
     * {@link #holdQuorum}) counts distinct ids, so an instance restarted under a new id counts again: give an id that
     * outlives restarts. Default: the {@code HOSTNAME} environment variable (a pod's name on Kubernetes, kept across its
     * containers' restarts) if it is set, else the process id and a random suffix.
     */
    public FleetSignalsBuilder instanceId(String instanceId) {
        if (!validInstanceId(instanceId)) {
            throw new IllegalArgumentException("instanceId must be one non-blank line of at most 200 characters");
        }
        this.instanceId = instanceId;
        return this;
    }

    private static boolean validInstanceId(String instanceId) {
        return !instanceId.isBlank() && instanceId.length() <= 200 && !instanceId.matches("(?s).*[\\r\\n].*");
    }

    /**
     * More Kafka client configuration for both the reader and the publisher, such as {@code security.protocol} and
     * SASL settings. The fleet's own choices for timing may be overridden here; {@code group.id} and offset
     * commits may not: every instance reads the whole topic and commits nothing.
     */
    public FleetSignalsBuilder kafkaConfig(Map<String, ?> config) {
        kafkaConfig.putAll(config);
        return this;
    }

    /**
     * How many distinct instances must report a host {@code BLOCKED} before it is latched here. Default 1: see
     * {@link FleetSignals} for why; raise it where one instance can be blocked alone (its own credentials).
     */
    public FleetSignalsBuilder blockQuorum(int instances) {
        this.blockQuorum = positive(instances, "blockQuorum");
        return this;
    }

    /**
     * How many distinct instances must hold a host before it is held here; it is then held until the latest end
     * that many agree on. Default 1: a hold is the server's word, capped by each policy's {@code maxRetryAfter}.
     */
    public FleetSignalsBuilder holdQuorum(int instances) {
        this.holdQuorum = positive(instances, "holdQuorum");
        return this;
    }

    /**
     * How long a {@code BLOCKED} record changes anything for the instances that read it. An instance that latched
     * stays latched until a person lifts it; this decides only whether an instance that starts or reads the record
     * later does. Default 1 h. A {@code LIFT} never expires: it lifts only latches that closed before it.
     */
    public FleetSignalsBuilder latchSignalExpiry(Duration expiry) {
        this.latchSignalExpiry = Durations.positive(expiry, "expiry");
        return this;
    }

    /**
     * Links {@code policy} to the control topic and starts this instance's reader and publisher threads, which create
     * their Kafka clients themselves. Waits on nothing and fails on nothing Kafka does: bootstrap names that do not
     * resolve yet, an unreachable broker or a missing topic leave the policy as it is alone, are logged, and are
     * tried again.
     *
     * @throws IllegalStateException    if the policy is linked to a fleet already, or a required setting is missing
     * @throws IllegalArgumentException if a Kafka setting has a value of the wrong type or out of its range
     */
    public FleetSignals start(RetryPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (bootstrapServers == null || topic == null) {
            throw new IllegalStateException("bootstrapServers and topic are required");
        }
        String instance = instanceId != null ? instanceId : defaultInstanceId();
        String run = UUID.randomUUID().toString();
        Map<String, Object> common = new HashMap<>();
        common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        common.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, FleetDefaults.RECONNECT_BACKOFF_MAX.toMillis());
        Map<String, Object> consumer = new HashMap<>(common);
        // Named after the instance and the run, so that its log lines and threads say whose they are.
        consumer.put(CommonClientConfigs.CLIENT_ID_CONFIG, "resilient-http-fleet-reader-" + instance + "-" + run);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.putAll(kafkaConfig);
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> producer = new HashMap<>(common);
        producer.put(CommonClientConfigs.CLIENT_ID_CONFIG, "resilient-http-fleet-publisher-" + instance + "-" + run);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, FleetDefaults.MAX_BLOCK.toMillis());
        producer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, FleetDefaults.BUFFER_BYTES);
        // Duplicates are harmless (each record is idempotent), so no idempotent-write ACL is needed; one request in
        // flight keeps a host's records in order.
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer.putAll(kafkaConfig);
        consumer.keySet().removeIf(key -> !ConsumerConfig.configNames().contains(key));
        producer.keySet().removeIf(key -> !ProducerConfig.configNames().contains(key));
        check(consumer, producer);
        FleetSettings settings = new FleetSettings(topic, instance, run, consumer, producer, blockQuorum, holdQuorum,
                latchSignalExpiry, FleetDefaults.LOG_INTERVAL, FleetDefaults.CLOSE_TIMEOUT, Clock.systemUTC());
        return new FleetSignals(Fleet.start(settings, policy));
    }

    /**
     * Checks the values' types and ranges as the clients will, without creating them (which resolves the bootstrap
     * names): a wrong setting is the caller's mistake and fails here, where the clients' threads would only retry.
     */
    private static void check(Map<String, Object> consumer, Map<String, Object> producer) {
        Map<String, Object> reader = new HashMap<>(consumer);
        reader.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        reader.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> publisher = new HashMap<>(producer);
        publisher.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        publisher.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try {
            ConsumerConfig.configDef().parse(reader);
            ProducerConfig.configDef().parse(publisher);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("kafkaConfig: " + e.getMessage(), e);
        }
    }

    private static String defaultInstanceId() {
        return defaultInstanceId(System.getenv("HOSTNAME"));
    }

    /** The default id given the {@code HOSTNAME} variable's value, or {@code null} if unset; one valid for {@link #instanceId}. */
    static String defaultInstanceId(String hostname) {
        String host = hostname == null ? "" : hostname.strip();
        return validInstanceId(host) ? host
                : ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int positive(int instances, String name) {
        if (instances < 1) {
            throw new IllegalArgumentException(name + " counts instances: at least 1, was " + instances);
        }
        return instances;
    }
}
