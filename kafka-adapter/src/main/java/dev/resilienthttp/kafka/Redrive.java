package dev.resilienthttp.kafka;

import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.kafka.internal.ClientConfigs;
import dev.resilienthttp.kafka.internal.RedriveFilter;
import dev.resilienthttp.kafka.internal.RedriveRun;
import dev.resilienthttp.kafka.internal.RedriveSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Moves dead-lettered events back to where they entered the pipeline (or to a topic you name), once the cause is
 * fixed. The command-line entry point is {@link RedriveCommand}.
 *
 * <pre>{@code
 * RedriveResult result = Redrive.builder()
 *         .consumerConfig(Map.of("bootstrap.servers", brokers))
 *         .from("article-update-dlt")
 *         .kinds("CLIENT_ERROR")                 // only these kinds; all by default
 *         .ratePerSecond(50)
 *         .dryRun(true)                           // only count
 *         .build()
 *         .run();
 * }</pre>
 *
 * <ul>
 *   <li><b>No loss.</b> A record is copied with its key, value and headers ({@code acks=all}, idempotent producer);
 *       the run's consumer group commits past it only once the copy is acknowledged. The dead-letter record itself
 *       stays: Kafka cannot delete one record.</li>
 *   <li><b>Resumable.</b> The run reads from its own group's committed offsets ({@code group.id}, by default
 *       {@code resilient-http-redrive-<from>}), so a run stopped by a failure, its limit or a crash resumes where it
 *       stopped. Records the filter skips are committed past too: use one group per filter. Run one redrive per
 *       group at a time.</li>
 *   <li><b>Bounded.</b> It reads up to the end of the dead-letter topic as it was when the run started, at most
 *       {@link Builder#ratePerSecond} records a second and at most {@link Builder#limit} matching records.</li>
 *   <li><b>Dry run</b>: counts what a run would move, produces nothing and commits nothing.</li>
 * </ul>
 * The copy keeps its {@code fail_count}: an event that fails again transiently goes straight back to the
 * dead-letter topic once it is at {@code maxFailCount}, a permanent failure at once.
 */
public final class Redrive {
    private final RedriveSettings settings;

    private Redrive(RedriveSettings settings) {
        this.settings = settings;
    }

    /** A builder; {@code from} and {@code bootstrap.servers} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the redrive on the calling thread.
     *
     * @throws org.apache.kafka.common.KafkaException if a copy cannot be produced; everything moved before it is
     *                                                committed, and a new run resumes at it
     * @throws InterruptedException                   if the thread is interrupted while it waits for its rate or
     *                                                an acknowledgement; everything moved before is committed,
     *                                                and a new run resumes after it
     */
    public RedriveResult run() throws InterruptedException {
        return new RedriveRun(settings).run();
    }

    /** Configures a {@link Redrive}. Not thread-safe; {@link #build()} copies what it holds. */
    public static final class Builder {
        private Map<String, ?> consumerConfig = Map.of();
        private Map<String, ?> producerConfig = Map.of();
        private String from;
        private String to;
        private final Set<String> kinds = new LinkedHashSet<>();
        private String reasonContains = "";
        private double ratePerSecond = 100;
        private long limit = Long.MAX_VALUE;
        private boolean dryRun;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration maxIdle = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The consumer's configuration: {@code bootstrap.servers} is required, {@code group.id} has a default. */
        public Builder consumerConfig(Map<String, ?> consumerConfig) {
            this.consumerConfig = Map.copyOf(Objects.requireNonNull(consumerConfig, "consumerConfig"));
            return this;
        }

        /** The producer's configuration; the consumer's brokers by default; {@code acks=all} and idempotence forced. */
        public Builder producerConfig(Map<String, ?> producerConfig) {
            this.producerConfig = Map.copyOf(Objects.requireNonNull(producerConfig, "producerConfig"));
            return this;
        }

        /** The dead-letter topic to read. Required. */
        public Builder from(String from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /**
         * The topic to move records to, e.g. the error topic. Default: each record's
         * {@value FailureHeaders#ORIGINAL_TOPIC}, in its original partition.
         */
        public Builder to(String to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /** Only records whose {@value FailureHeaders#KIND} is one of these. Default: every kind. */
        public Builder kinds(String... kinds) {
            return kinds(List.of(kinds));
        }

        /** As {@link #kinds(String...)}. */
        public Builder kinds(Collection<String> kinds) {
            kinds.forEach(kind -> this.kinds.add(Objects.requireNonNull(kind, "kind")));
            return this;
        }

        /** Only records whose reason contains this text, ignoring case. Default: every reason. */
        public Builder reasonContains(String text) {
            this.reasonContains = Objects.requireNonNull(text, "text");
            return this;
        }

        /** The most records produced per second, evenly spaced. Default 100. */
        public Builder ratePerSecond(double ratePerSecond) {
            if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException("ratePerSecond must be a positive number, was " + ratePerSecond);
            }
            this.ratePerSecond = ratePerSecond;
            return this;
        }

        /** The most matching records this run handles; the next run resumes after them. Default: no limit. */
        public Builder limit(long limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, was " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** Whether to only count what would move. Default false. */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** How long the run waits for records it knows exist before it stops, incomplete. Default 30 s. */
        public Builder maxIdle(Duration maxIdle) {
            this.maxIdle = Durations.positive(maxIdle, "maxIdle");
            this.pollTimeout = maxIdle.compareTo(pollTimeout) < 0 ? maxIdle : pollTimeout;
            return this;
        }

        /** The redrive. @throws IllegalArgumentException if {@code from} or the brokers are missing */
        public Redrive build() {
            if (from == null) {
                throw new IllegalArgumentException("from (the dead-letter topic) is required");
            }
            Map<String, Object> consumer = new HashMap<>(consumerConfig);
            consumer.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "resilient-http-redrive-" + from);
            consumer = ClientConfigs.consumer(consumer);
            Map<String, Object> producer = ClientConfigs.producer(producerConfig, consumer);
            Duration produceTimeout = ClientConfigs.deliveryTimeout(producer, KafkaDefaults.DELIVERY_TIMEOUT)
                    .plus(KafkaDefaults.ACK_MARGIN);
            return new Redrive(new RedriveSettings(consumer, producer, from, to, new RedriveFilter(kinds,
                    reasonContains), ratePerSecond, limit, dryRun, pollTimeout, maxIdle, produceTimeout));
        }
    }
}
