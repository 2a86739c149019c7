package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The consumer's and producer's configurations: the user's, with the settings no loss depends on forced, and a
 * clear error for a user setting that contradicts one of them (a silent override would hide a misunderstanding).
 */
public final class ClientConfigs {
    private ClientConfigs() {
    }

    /** The consumer's configuration: manual commits, {@code earliest} unless set. */
    public static Map<String, Object> consumer(Map<String, ?> user) {
        Map<String, Object> config = new HashMap<>(Objects.requireNonNull(user, "consumerConfig"));
        required(config, CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "consumerConfig");
        required(config, ConsumerConfig.GROUP_ID_CONFIG, "consumerConfig");
        if (isTrue(config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG))) {
            throw new IllegalArgumentException("enable.auto.commit=true would commit records that are not done: the "
                    + "processor commits by itself, after each record is handled or routed");
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group must not skip what is already waiting, the error topic's backlog above all.
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        config.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        return config;
    }

    /** The producer's configuration: {@code acks=all} and idempotence, the consumer's brokers unless set. */
    public static Map<String, Object> producer(Map<String, ?> user, Map<String, Object> consumer) {
        Map<String, Object> config = new HashMap<>(Objects.requireNonNull(user, "producerConfig"));
        config.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                consumer.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        Object acks = config.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !"all".equals(acks.toString().trim()) && !"-1".equals(acks.toString().trim())) {
            throw new IllegalArgumentException("acks=" + acks + " can lose a routed record when a broker fails: "
                    + "the processor commits a source offset once its routed copy is acknowledged, so it needs acks=all");
        }
        Object idempotence = config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && !isTrue(idempotence)) {
            throw new IllegalArgumentException("enable.idempotence=false lets a retried produce duplicate or reorder "
                    + "routed records: the processor needs it on");
        }
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }

    /**
     * An admin client's configuration: the settings of the producer's configuration an admin client knows (the
     * brokers, security, client id), so that it reaches the brokers as the routing producer does.
     */
    static Map<String, Object> admin(Map<String, Object> producer) {
        Map<String, Object> config = new HashMap<>(producer);
        config.keySet().retainAll(AdminClientConfig.configNames());
        return config;
    }

    /** {@code delivery.timeout.ms} of a producer configuration, or {@code fallback}. */
    public static Duration deliveryTimeout(Map<String, Object> producer, Duration fallback) {
        return millis(producer, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, fallback);
    }

    /** {@code max.poll.interval.ms} of a consumer configuration, or kafka-clients' own default (5 min). */
    public static Duration maxPollInterval(Map<String, Object> consumer) {
        Number kafkaDefault = (Number) ConsumerConfig.configDef().defaultValues()
                .get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        return millis(consumer, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                Duration.ofMillis(kafkaDefault.longValue()));
    }

    /** {@code max.block.ms} of a producer configuration, or kafka-clients' own default (60 s). */
    static Duration maxBlock(Map<String, Object> producer) {
        Number kafkaDefault = (Number) ProducerConfig.configDef().defaultValues()
                .get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        return millis(producer, ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMillis(kafkaDefault.longValue()));
    }

    private static Duration millis(Map<String, Object> config, String key, Duration fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Duration.ofMillis(value instanceof Number ? ((Number) value).longValue()
                    : Long.parseLong(value.toString().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + value, e);
        }
    }

    private static void required(Map<String, Object> config, String key, String where) {
        Object value = config.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(where + " must set " + key);
        }
    }

    private static boolean isTrue(Object value) {
        return value != null && Boolean.parseBoolean(value.toString().trim());
    }
}
