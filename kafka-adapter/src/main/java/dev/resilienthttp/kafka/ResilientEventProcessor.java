package dev.resilienthttp.kafka;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.kafka.internal.ClientConfigs;
import dev.resilienthttp.kafka.internal.ProcessorLoop;
import dev.resilienthttp.kafka.internal.ProcessorSettings;
import dev.resilienthttp.kafka.internal.TopicChecks;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Consumes events and runs an {@link EventHandler} on each, on its own thread, and routes the events whose
 * handler failed to an error topic or a dead-letter topic ({@link RoutingDecision}) without losing any.
 *
 * <pre>{@code
 * ResilientEventProcessor<String, GenericRecord> processor = ResilientEventProcessor
 *         .builder(Serdes.String(), AvroSerde.genericRecord(schema))
 *         .consumerConfig(Map.of("bootstrap.servers", brokers, "group.id", "article-enricher"))
 *         .topics("article-update", "article-update-error")        // the error topic is consumed too
 *         .errorTopic("article-update-error")
 *         .deadLetterTopic("article-update-dlt")
 *         .failureFields(FailureFields.avro(schema))                // event.fail_count, event.fail_reason
 *         .handler(record -> enrich(client, record.value()))       // calls ResilientHttpClient.send
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p><b>Delivery is at least once.</b> A source offset is committed only after its record was handled, or after its
 * routed copy was acknowledged by the brokers ({@code acks=all}, idempotent producer). A copy that fails to produce
 * is tried again with backoff, and its partition waits: nothing past it is committed. A rebalance and
 * {@link #close()} commit only what is done. After a crash, a rebalance or a close in the middle of a record, the
 * records after the last commit are processed again, so a handler must tolerate seeing an event twice (derive
 * an {@code Idempotency-Key} from the event's id).
 *
 * <p><b>Error-topic records wait</b> until their {@value FailureHeaders#NOT_BEFORE} time: the processor pauses the
 * partition instead of spinning, and resumes it when due (wall-clock time from the injected {@link Clock}); a
 * rebalance does not leave a partition paused.
 *
 * <p><b>A blocked host</b> ({@code BLOCKED}) pauses every partition, logs once at ERROR, routes and commits nothing
 * past the record, until {@link #resume()} is called or {@link Builder#blockLifted} says so.
 *
 * <p><b>Bad input</b>: a key or value that cannot be deserialized, or a value that cannot carry the failure
 * fields, goes to the dead-letter topic as it was consumed, with the failure fields in headers and a reason; the
 * partition goes on.
 *
 * <p>Routed copies keep the key and the partition (the error and dead-letter topics need at least as many
 * partitions as the topics consumed; {@link #start()} checks it), carry the headers of {@link FailureHeaders}, and
 * get the routing time as their timestamp, so that retention counts from their arrival. Give the dead-letter topic
 * a long retention ({@code retention.ms=-1}) and alert on its size: short retention there is how the incident lost
 * its events.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ResilientEventProcessor<K, V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientEventProcessor.class);

    private final ProcessorSettings<K, V> settings;
    private ProcessorLoop<K, V> loop;
    private Thread thread;

    private ResilientEventProcessor(ProcessorSettings<K, V> settings) {
        this.settings = settings;
    }

    /** A builder for events with these key and value formats. */
    public static <K, V> Builder<K, V> builder(Serde<K> keySerde, Serde<V> valueSerde) {
        return new Builder<>(keySerde, valueSerde);
    }

    /**
     * Checks the topics' partition counts, then starts consuming on a new thread.
     *
     * @throws IllegalStateException if already started, or if the error or dead-letter topic has fewer
     *                               partitions than a consumed topic
     * @throws org.apache.kafka.common.KafkaException if the brokers cannot say within {@code max.block.ms}
     */
    public synchronized ResilientEventProcessor<K, V> start() {
        if (thread != null) {
            throw new IllegalStateException("a processor starts once; build another one");
        }
        Producer<byte[], byte[]> producer = newProducer();
        try {
            TopicChecks.checkPartitions(producer, settings.topics(), settings.errorTopic(), settings.deadLetterTopic());
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        loop = new ProcessorLoop<>(settings, consumer, producer, this::newProducer);
        thread = new Thread(loop, "resilient-event-processor-"
                + settings.consumerConfig().get(ConsumerConfig.GROUP_ID_CONFIG));
        thread.start();
        return this;
    }

    /** Resumes consumption after a {@code BLOCKED} failure paused it; does nothing otherwise. */
    public synchronized void resume() {
        if (loop != null) {
            loop.resume();
        }
    }

    /** Whether the processor's thread is running. */
    public synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /** The error that stopped the processor on its own, if one did. */
    public synchronized Optional<Throwable> failure() {
        return Optional.ofNullable(loop == null ? null : loop.failure());
    }

    /**
     * Stops consuming, commits what is done and closes the clients. Waits up to {@code closeTimeout} for the record
     * in hand to finish, then interrupts its handler (the record is not committed and will be processed again),
     * then waits up to {@code closeTimeout} more. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        loop.stop();
        long millis = settings.closeTimeout().toMillis();
        try {
            thread.join(millis);
            if (thread.isAlive()) {
                LOG.warn("the handler did not finish within {}: interrupting it", settings.closeTimeout());
                thread.interrupt();
                thread.join(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("the processor's thread {} did not stop within twice {}", thread.getName(),
                    settings.closeTimeout());
        }
    }

    private Producer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(settings.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Configures a processor. Not thread-safe; {@link #build()} copies what it holds. */
    public static final class Builder<K, V> {
        private final Serde<K> keySerde;
        private final Serde<V> valueSerde;
        private Map<String, ?> consumerConfig;
        private Map<String, ?> producerConfig = Map.of();
        private final List<String> topics = new ArrayList<>();
        private String errorTopic;
        private String deadLetterTopic;
        private EventHandler<K, V> handler;
        private FailureFields<V> failureFields = FailureFields.headers();
        private int maxFailCount = KafkaDefaults.MAX_FAIL_COUNT;
        private Backoff retryDelay = backoff(KafkaDefaults.RETRY_DELAY, KafkaDefaults.RETRY_DELAY_CAP);
        private Backoff produceBackoff = backoff(KafkaDefaults.PRODUCE_BACKOFF, KafkaDefaults.PRODUCE_BACKOFF_CAP);
        private Duration pollTimeout = KafkaDefaults.POLL_TIMEOUT;
        private Duration closeTimeout = KafkaDefaults.CLOSE_TIMEOUT;
        private BooleanSupplier blockLifted = () -> false;
        private Clock clock = Clock.systemUTC();
        private ProcessorListener listener = new ProcessorListener() { };

        private Builder(Serde<K> keySerde, Serde<V> valueSerde) {
            this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
            this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
        }

        /**
         * The consumer's configuration; {@code bootstrap.servers} and {@code group.id} are required. The processor
         * commits by itself ({@code enable.auto.commit=true} is refused) and reads from {@code earliest} unless
         * told otherwise. Keep {@code max.poll.records × the longest handler call} under {@code max.poll.interval.ms}.
         */
        public Builder<K, V> consumerConfig(Map<String, ?> consumerConfig) {
            this.consumerConfig = Map.copyOf(Objects.requireNonNull(consumerConfig, "consumerConfig"));
            return this;
        }

        /**
         * The routing producer's configuration, by default the consumer's {@code bootstrap.servers} only.
         * {@code acks=all} and {@code enable.idempotence=true} are forced (other values are refused). The wait for
         * an acknowledgement is {@code delivery.timeout.ms} plus 5 s.
         */
        public Builder<K, V> producerConfig(Map<String, ?> producerConfig) {
            this.producerConfig = Map.copyOf(Objects.requireNonNull(producerConfig, "producerConfig"));
            return this;
        }

        /** The topics to consume: the source topics, and the error topic when this processor retries too. */
        public Builder<K, V> topics(String... topics) {
            return topics(List.of(topics));
        }

        /** As {@link #topics(String...)}. */
        public Builder<K, V> topics(Collection<String> topics) {
            topics.forEach(topic -> this.topics.add(Objects.requireNonNull(topic, "topic")));
            return this;
        }

        /** Where transient failures go while their {@code fail_count} is under {@link #maxFailCount}. Required. */
        public Builder<K, V> errorTopic(String errorTopic) {
            this.errorTopic = Objects.requireNonNull(errorTopic, "errorTopic");
            return this;
        }

        /** Where permanent failures, bad input and events out of passes go. Required. */
        public Builder<K, V> deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
            return this;
        }

        /** The work for each event. Required. */
        public Builder<K, V> handler(EventHandler<K, V> handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Where events carry {@code fail_count} and {@code fail_reason}. Default {@link FailureFields#headers()}. */
        public Builder<K, V> failureFields(FailureFields<V> failureFields) {
            this.failureFields = Objects.requireNonNull(failureFields, "failureFields");
            return this;
        }

        /** The {@code fail_count} at which a transient failure goes to the dead-letter topic. Default 3. */
        public Builder<K, V> maxFailCount(int maxFailCount) {
            if (maxFailCount < 1) {
                throw new IllegalArgumentException("maxFailCount must be at least 1, was " + maxFailCount);
            }
            this.maxFailCount = maxFailCount;
            return this;
        }

        /**
         * How long an error-topic record waits: {@code base × 2^(n − 1)}, at most {@code cap}, where {@code n} counts
         * the event's failed passes, those that did not count against its {@code fail_count} included
         * ({@value FailureHeaders#PASSES}). Default 1 min, 30 min.
         */
        public Builder<K, V> retryDelay(Duration base, Duration cap) {
            this.retryDelay = backoff(base, cap);
            return this;
        }

        /** How long before a failed produce is tried again: doubling from {@code base} up to {@code cap}. Default 100 ms, 30 s. */
        public Builder<K, V> produceRetryBackoff(Duration base, Duration cap) {
            this.produceBackoff = backoff(base, cap);
            return this;
        }

        /**
         * The library's one backoff, doubling from {@code base} to {@code cap}, each wait spread over its upper half:
         * events that failed together are not all retried (or produced again) at the same instant, and no wait
         * collapses to nothing.
         */
        private static Backoff backoff(Duration base, Duration cap) {
            return new Backoff(base, 2.0, cap, Backoff.Spread.EQUAL, ThreadLocalRandom::current);
        }

        /** The longest poll: how late a due time, a lifted block or {@link #close()} may be noticed. Default 500 ms. */
        public Builder<K, V> pollTimeout(Duration pollTimeout) {
            this.pollTimeout = positive(pollTimeout, "pollTimeout");
            return this;
        }

        /** How long {@link #close()} waits for the record in hand, and again for the clients. Default 30 s. */
        public Builder<K, V> closeTimeout(Duration closeTimeout) {
            this.closeTimeout = positive(closeTimeout, "closeTimeout");
            return this;
        }

        /**
         * Asked on every poll while the processor is blocked; {@code true} resumes consumption, e.g.
         * {@code () -> policy.blockedHosts().isEmpty()}. Default: never, only {@link #resume()} resumes.
         */
        public Builder<K, V> blockLifted(BooleanSupplier blockLifted) {
            this.blockLifted = Objects.requireNonNull(blockLifted, "blockLifted");
            return this;
        }

        /** The clock of not-before and first-failure times. Default: the system clock in UTC. */
        public Builder<K, V> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Told what the processor does. Default: nothing. */
        public Builder<K, V> listener(ProcessorListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The processor, not yet started.
         *
         * @throws IllegalArgumentException if a required setting is missing or a client setting contradicts no loss
         */
        public ResilientEventProcessor<K, V> build() {
            if (consumerConfig == null || topics.isEmpty() || errorTopic == null || deadLetterTopic == null
                    || handler == null) {
                throw new IllegalArgumentException("consumerConfig, topics, errorTopic, deadLetterTopic and handler "
                        + "are required");
            }
            if (errorTopic.equals(deadLetterTopic) || topics.contains(deadLetterTopic)) {
                throw new IllegalArgumentException("the dead-letter topic " + deadLetterTopic + " must be neither "
                        + "the error topic nor a consumed topic: its records wait for a person");
            }
            Map<String, Object> consumer = ClientConfigs.consumer(consumerConfig);
            Map<String, Object> producer = ClientConfigs.producer(producerConfig, consumer);
            Duration produceTimeout = ClientConfigs.deliveryTimeout(producer, KafkaDefaults.DELIVERY_TIMEOUT)
                    .plus(KafkaDefaults.ACK_MARGIN);
            return new ResilientEventProcessor<>(new ProcessorSettings<>(consumer, producer, topics, errorTopic,
                    deadLetterTopic, keySerde, valueSerde, handler, failureFields, maxFailCount, retryDelay,
                    produceBackoff, produceTimeout, closeTimeout.dividedBy(2), pollTimeout, closeTimeout, blockLifted,
                    clock, listener));
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
            return duration;
        }
    }
}
