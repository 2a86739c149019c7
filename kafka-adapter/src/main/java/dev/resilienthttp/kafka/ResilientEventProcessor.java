package dev.resilienthttp.kafka;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.kafka.internal.ClientConfigs;
import dev.resilienthttp.kafka.internal.Handlers;
import dev.resilienthttp.kafka.internal.ProcessorLoop;
import dev.resilienthttp.kafka.internal.ProcessorSettings;
import dev.resilienthttp.kafka.internal.TopicChecks;
import org.apache.kafka.clients.consumer.CloseOptions;
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
import java.util.function.Supplier;

/**
 * Consumes events and runs a handler on each, many at once but one at a time per key, and routes the events whose
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
 *         .asyncHandler(record -> enrich(client, record.value()))  // returns client.sendAsync(…)
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p><b>Concurrency, in key order.</b> Up to {@link Builder#maxInFlight} records are handled at once, never two with
 * the same key, and each key's records in the order they were fetched (across the consumed topics; records without a
 * key keep their partition's order). An {@link AsyncEventHandler} holds no thread while it waits; a blocking
 * {@link EventHandler} runs on a pool of {@code maxInFlight} threads (virtual ones on Java 21+ if asked). The
 * processor's thread never waits for a handler: it keeps polling, so no handler's length causes a rebalance, whatever
 * {@code max.poll.records} and {@code max.poll.interval.ms} say.
 *
 * <p><b>Backpressure, not draining.</b> When the client refuses a call before any attempt (an open circuit, a spent
 * retry budget, a {@code Retry-After} hold past the deadline), the event is held, not routed: fetching stops, and the
 * held events run again after a growing wait (from 1 s to 30 s) until one call gets through. An event held
 * {@link Builder#maxHold} goes to the error topic; so an outage costs at most {@code maxInFlight} error-topic copies
 * per {@code maxHold}, instead of the whole topic.
 *
 * <p><b>Delivery is at least once.</b> A partition's committed offset never passes a record that is not done: handled,
 * or its routed copy acknowledged by the brokers ({@code acks=all}, idempotent producer). A copy that fails to
 * produce is tried again with backoff, and nothing past it is committed; a copy the brokers can never take (too large,
 * not authorized) stops the processor ({@link ProcessorState#FAILED}). A rebalance lets what runs on the revoked
 * partitions finish (for up to half of {@code closeTimeout}) and commits it; {@link #close()} does the same for all. After a crash, a rebalance or a close in the middle of a record, the
 * records after the last commit are processed again, so a handler must tolerate seeing an event twice (derive
 * an {@code Idempotency-Key} from the event's id).
 *
 * <p><b>Error-topic records wait</b> until their {@value FailureHeaders#NOT_BEFORE} time: the processor pauses the
 * partition instead of spinning, and resumes it when due (wall-clock time from the injected {@link Clock}); a
 * rebalance does not leave a partition paused.
 *
 * <p><b>A blocked host</b> ({@code BLOCKED}) pauses every partition, logs once at ERROR, routes and commits nothing
 * past the record, until {@link #resume()} is called or {@link Builder#blockLifted} says so. A closed HTTP client
 * ({@code ClientClosedException}) is not the event's fault either: the processor stops and the event is redone by the
 * next run.
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
    private boolean closed;

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
        if (thread != null || closed) {
            throw new IllegalStateException("a processor starts once; build another one");
        }
        Producer<byte[], byte[]> producer = newProducer();
        KafkaConsumer<byte[], byte[]> consumer = null;
        Handlers handlers = null;
        try {
            TopicChecks.checkPartitions(producer, settings.topics(), settings.errorTopic(), settings.deadLetterTopic());
            consumer = new KafkaConsumer<>(settings.consumerConfig(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            handlers = settings.handlers().get();
            loop = new ProcessorLoop<>(settings, consumer, producer, this::newProducer, handlers);
            thread = new Thread(loop, "resilient-event-processor-"
                    + settings.consumerConfig().get(ConsumerConfig.GROUP_ID_CONFIG));
            thread.start();
        } catch (RuntimeException | Error e) {
            loop = null;
            thread = null;
            closeQuietly(() -> producer.close(Duration.ZERO), e);
            if (consumer != null) {
                KafkaConsumer<byte[], byte[]> opened = consumer;
                closeQuietly(() -> opened.close(CloseOptions.timeout(Duration.ZERO)), e);
            }
            if (handlers != null) {
                closeQuietly(handlers::close, e);
            }
            throw e;
        }
        return this;
    }

    private static void closeQuietly(Runnable close, Throwable failure) {
        try {
            close.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Where the processor is: for a health check, {@link ProcessorState#FAILED} needs a person. */
    public synchronized ProcessorState state() {
        if (loop == null) {
            return closed ? ProcessorState.CLOSED : ProcessorState.NEW;
        }
        if (loop.failure() != null) {
            return ProcessorState.FAILED;
        }
        if (closed || !thread.isAlive()) {
            return ProcessorState.CLOSED;
        }
        if (loop.isBlocked()) {
            return ProcessorState.BLOCKED;
        }
        return loop.isHolding() ? ProcessorState.HOLDING : ProcessorState.RUNNING;
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
     * Stops consuming, commits what is done and closes the clients. Waits up to {@code closeTimeout} for the records
     * in hand to finish, then cancels their handlers (interrupts a blocking one; those records are not committed and
     * will be processed again), then waits up to {@code closeTimeout} more. Idempotent.
     */
    @Override
    public void close() {
        stop(false);
    }

    /** As a crash: stops without the final commit, so that the records done since the last commit are redone. */
    void abandon() {
        stop(true);
    }

    private synchronized void stop(boolean abandon) {
        closed = true;
        if (thread == null) {
            return;
        }
        if (abandon) {
            loop.abandon();
        } else {
            loop.stop();
        }
        // The loop waits closeTimeout for the handlers, cancels them, then commits and closes within closeTimeout.
        long millis = settings.closeTimeout().toMillis();
        try {
            thread.join(2 * millis);
            if (thread.isAlive()) {
                LOG.warn("the processor did not stop within twice {}: interrupting it", settings.closeTimeout());
                thread.interrupt();
                thread.join(millis / 4 + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("the processor's thread {} did not stop within twice {} and an interrupt", thread.getName(),
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
        private AsyncEventHandler<K, V> asyncHandler;
        private int maxInFlight = KafkaDefaults.MAX_IN_FLIGHT;
        private boolean virtualThreads;
        private int maxPasses = KafkaDefaults.MAX_PASSES;
        private Backoff holdRetry = backoff(KafkaDefaults.HOLD_RETRY, KafkaDefaults.HOLD_RETRY_CAP);
        private Duration maxHold = KafkaDefaults.MAX_HOLD;
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
         * told otherwise. {@code max.poll.records} and {@code max.poll.interval.ms} need no care: the processor polls
         * while handlers run.
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

        /**
         * The work for each event, blocking: it runs on a pool of {@link #maxInFlight} threads. This or
         * {@link #asyncHandler} is required, not both.
         */
        public Builder<K, V> handler(EventHandler<K, V> handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * The work for each event, asynchronous (e.g. {@code client.sendAsync(…)}): it holds no thread while it
         * waits. This or {@link #handler} is required, not both.
         */
        public Builder<K, V> asyncHandler(AsyncEventHandler<K, V> asyncHandler) {
            this.asyncHandler = Objects.requireNonNull(asyncHandler, "asyncHandler");
            return this;
        }

        /**
         * The most records handled at once, never two of one key. Default {@value KafkaDefaults#MAX_IN_FLIGHT}; 1 is
         * the one-at-a-time processing of a plain consumer loop.
         */
        public Builder<K, V> maxInFlight(int maxInFlight) {
            if (maxInFlight < 1 || maxInFlight > 10_000) {
                throw new IllegalArgumentException("maxInFlight must be between 1 and 10000, was " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Runs a blocking {@link #handler} on virtual threads (Java 21+; refused by {@link #build()} on 17) instead of
         * a pool of platform threads. Still at most {@link #maxInFlight} at once. Default off.
         */
        public Builder<K, V> virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /**
         * Failed passes, counted in {@code fail_count} or not, after which an event goes to the dead-letter topic, its
         * reason saying so. Default {@value KafkaDefaults#MAX_PASSES}; at least {@link #maxFailCount}.
         */
        public Builder<K, V> maxPasses(int maxPasses) {
            if (maxPasses < 1) {
                throw new IllegalArgumentException("maxPasses must be at least 1, was " + maxPasses);
            }
            this.maxPasses = maxPasses;
            return this;
        }

        /**
         * How long held events wait before they run again: doubling from {@code base} up to {@code cap}, spread over
         * the upper half. Default 1 s, 30 s.
         */
        public Builder<K, V> holdRetry(Duration base, Duration cap) {
            this.holdRetry = backoff(base, cap);
            return this;
        }

        /** The longest an event is held before it goes to the error topic, uncounted. Default 5 min. */
        public Builder<K, V> maxHold(Duration maxHold) {
            this.maxHold = positive(maxHold, "maxHold");
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
                    || (handler == null) == (asyncHandler == null)) {
                throw new IllegalArgumentException("consumerConfig, topics, errorTopic, deadLetterTopic and one of "
                        + "handler or asyncHandler are required");
            }
            if (errorTopic.equals(deadLetterTopic) || topics.contains(deadLetterTopic)) {
                throw new IllegalArgumentException("the dead-letter topic " + deadLetterTopic + " must be neither "
                        + "the error topic nor a consumed topic: its records wait for a person");
            }
            if (maxPasses < maxFailCount) {
                throw new IllegalArgumentException("maxPasses (" + maxPasses + ") must be at least maxFailCount ("
                        + maxFailCount + "): every counted pass is a pass");
            }
            if (virtualThreads && (asyncHandler != null || !Handlers.virtualThreadsAvailable())) {
                throw new IllegalArgumentException(asyncHandler != null
                        ? "virtualThreads is for a blocking handler; an asyncHandler holds no thread"
                        : "virtual threads need Java 21 or later; this is Java " + Runtime.version().feature());
            }
            Map<String, Object> consumer = ClientConfigs.consumer(consumerConfig);
            Map<String, Object> producer = ClientConfigs.producer(producerConfig, consumer);
            String threadName = "resilient-event-handler-" + consumer.get(ConsumerConfig.GROUP_ID_CONFIG);
            EventHandler<K, V> blocking = handler;
            AsyncEventHandler<K, V> async = asyncHandler;
            int threads = maxInFlight;
            boolean virtual = virtualThreads;
            Supplier<Handlers> handlers = async != null ? () -> Handlers.async(async)
                    : () -> Handlers.blocking(blocking, threads, virtual, threadName);
            return new ResilientEventProcessor<>(new ProcessorSettings<>(consumer, producer, topics, errorTopic,
                    deadLetterTopic, keySerde, valueSerde, handlers, maxInFlight, failureFields, maxFailCount,
                    maxPasses, retryDelay, produceBackoff, holdRetry, maxHold, KafkaDefaults.COMMIT_INTERVAL,
                    closeTimeout.dividedBy(2), pollTimeout, closeTimeout, blockLifted, clock, listener));
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
