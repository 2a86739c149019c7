package dev.resilienthttp.kafka;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.kafka.internal.ClientConfigs;
import dev.resilienthttp.kafka.internal.Handlers;
import dev.resilienthttp.kafka.internal.ProcessorSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serde;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Configures a {@link ResilientEventProcessor}. Not thread-safe; {@link #build()} copies what it holds. */
public final class ResilientEventProcessorBuilder<K, V> {
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
    private Backoff holdRetry = backoff(KafkaDefaults.HOLD_RETRY, KafkaDefaults.HOLD_RETRY_CAP, "holdRetry");
    private Duration maxHold = KafkaDefaults.MAX_HOLD;
    private FailureFields<V> failureFields = FailureFields.headers();
    private int maxFailCount = KafkaDefaults.MAX_FAIL_COUNT;
    private Backoff retryDelay = backoff(KafkaDefaults.RETRY_DELAY, KafkaDefaults.RETRY_DELAY_CAP, "retryDelay");
    private Backoff produceBackoff = backoff(KafkaDefaults.PRODUCE_BACKOFF, KafkaDefaults.PRODUCE_BACKOFF_CAP, "produceRetryBackoff");
    private Duration pollTimeout = KafkaDefaults.POLL_TIMEOUT;
    private Duration closeTimeout = KafkaDefaults.CLOSE_TIMEOUT;
    private BooleanSupplier blockLifted = () -> false;
    private Clock clock = Clock.systemUTC();
    private ProcessorListener listener = new ProcessorListener() { };

    ResilientEventProcessorBuilder(Serde<K> keySerde, Serde<V> valueSerde) {
        this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
        this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
    }

    /**
     * The consumer's configuration; {@code bootstrap.servers} and {@code group.id} are required. The processor
     * commits by itself ({@code enable.auto.commit=true} is refused) and reads from {@code earliest} unless
     * told otherwise. {@code max.poll.records} and {@code max.poll.interval.ms} need no care: the processor polls
     * while handlers run. A quarter of {@code max.poll.interval.ms} bounds each commit and a rebalance's wait for the
     * runs of the partitions it revokes, which happen inside a poll: {@link #build()} refuses a
     * {@code max.poll.interval.ms} under 2 s.
     */
    public ResilientEventProcessorBuilder<K, V> consumerConfig(Map<String, ?> consumerConfig) {
        this.consumerConfig = Map.copyOf(Objects.requireNonNull(consumerConfig, "consumerConfig"));
        return this;
    }

    /**
     * The routing producer's configuration, by default the consumer's {@code bootstrap.servers} only.
     * {@code acks=all} and {@code enable.idempotence=true} are forced (other values are refused). The wait for
     * an acknowledgement is {@code delivery.timeout.ms} plus 5 s.
     */
    public ResilientEventProcessorBuilder<K, V> producerConfig(Map<String, ?> producerConfig) {
        this.producerConfig = Map.copyOf(Objects.requireNonNull(producerConfig, "producerConfig"));
        return this;
    }

    /** The topics to consume: the source topics, and the error topic when this processor retries too. */
    public ResilientEventProcessorBuilder<K, V> topics(String... topics) {
        return topics(List.of(topics));
    }

    /** As {@link #topics(String...)}. */
    public ResilientEventProcessorBuilder<K, V> topics(Collection<String> topics) {
        topics.forEach(topic -> this.topics.add(Objects.requireNonNull(topic, "topic")));
        return this;
    }

    /** Where transient failures go while their {@code fail_count} is under {@link #maxFailCount}. Required. */
    public ResilientEventProcessorBuilder<K, V> errorTopic(String errorTopic) {
        this.errorTopic = Objects.requireNonNull(errorTopic, "errorTopic");
        return this;
    }

    /** Where permanent failures, bad input and events out of passes go. Required. */
    public ResilientEventProcessorBuilder<K, V> deadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        return this;
    }

    /**
     * The work for each event, blocking: it runs on a pool of {@link #maxInFlight} threads. This or
     * {@link #asyncHandler} is required, not both.
     */
    public ResilientEventProcessorBuilder<K, V> handler(EventHandler<K, V> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * The work for each event, asynchronous (e.g. {@code client.sendAsync(…)}): it holds no thread while it
     * waits. This or {@link #handler} is required, not both.
     */
    public ResilientEventProcessorBuilder<K, V> asyncHandler(AsyncEventHandler<K, V> asyncHandler) {
        this.asyncHandler = Objects.requireNonNull(asyncHandler, "asyncHandler");
        return this;
    }

    /**
     * The most records handled at once, never two of one key. Default {@value KafkaDefaults#MAX_IN_FLIGHT}; 1 is
     * the one-at-a-time processing of a plain consumer loop.
     */
    public ResilientEventProcessorBuilder<K, V> maxInFlight(int maxInFlight) {
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
    public ResilientEventProcessorBuilder<K, V> virtualThreads(boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
        return this;
    }

    /**
     * Failed passes, counted in {@code fail_count} or not, after which an event goes to the dead-letter topic, its
     * reason saying so. Default {@value KafkaDefaults#MAX_PASSES}; at least {@link #maxFailCount}.
     */
    public ResilientEventProcessorBuilder<K, V> maxPasses(int maxPasses) {
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
    public ResilientEventProcessorBuilder<K, V> holdRetry(Duration base, Duration cap) {
        this.holdRetry = backoff(base, cap, "holdRetry");
        return this;
    }

    /** The longest an event is held before it goes to the error topic, uncounted. Default 5 min. */
    public ResilientEventProcessorBuilder<K, V> maxHold(Duration maxHold) {
        this.maxHold = Durations.positive(maxHold, "maxHold");
        return this;
    }

    /** Where events carry {@code fail_count} and {@code fail_reason}. Default {@link FailureFields#headers()}. */
    public ResilientEventProcessorBuilder<K, V> failureFields(FailureFields<V> failureFields) {
        this.failureFields = Objects.requireNonNull(failureFields, "failureFields");
        return this;
    }

    /** The {@code fail_count} at which a transient failure goes to the dead-letter topic. Default 3. */
    public ResilientEventProcessorBuilder<K, V> maxFailCount(int maxFailCount) {
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
    public ResilientEventProcessorBuilder<K, V> retryDelay(Duration base, Duration cap) {
        this.retryDelay = backoff(base, cap, "retryDelay");
        return this;
    }

    /** How long before a failed produce is tried again: doubling from {@code base} up to {@code cap}. Default 100 ms, 30 s. */
    public ResilientEventProcessorBuilder<K, V> produceRetryBackoff(Duration base, Duration cap) {
        this.produceBackoff = backoff(base, cap, "produceRetryBackoff");
        return this;
    }

    /**
     * The library's one backoff, doubling from {@code base} to {@code cap}, each wait spread over its upper half:
     * events that failed together are not all retried (or produced again) at the same instant, and no wait
     * collapses to nothing.
     */
    private static Backoff backoff(Duration base, Duration cap, String setting) {
        try {
            return new Backoff(Durations.positive(base, setting + "'s base"), 2.0,
                    Durations.positive(cap, setting + "'s cap"), Backoff.Spread.EQUAL, ThreadLocalRandom::current);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(setting) ? e : new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    /** The longest poll: how late a due time, a lifted block or {@link ResilientEventProcessor#close()} may be noticed. Default 500 ms. */
    public ResilientEventProcessorBuilder<K, V> pollTimeout(Duration pollTimeout) {
        this.pollTimeout = Durations.positive(pollTimeout, "pollTimeout");
        return this;
    }

    /**
     * How long {@link ResilientEventProcessor#close()} waits for the record in hand, and again for the clients; half of
     * it bounds the final commit, and (at most a quarter of the consumer's {@code max.poll.interval.ms}) every other
     * offset commit and a rebalance's wait for the runs of the partitions it revokes. At least 1 s. Default 30 s.
     */
    public ResilientEventProcessorBuilder<K, V> closeTimeout(Duration closeTimeout) {
        Durations.positive(closeTimeout, "closeTimeout");
        if (closeTimeout.compareTo(KafkaDefaults.MIN_CLOSE_TIMEOUT) < 0) {
            throw new IllegalArgumentException("closeTimeout must be at least "
                    + Durations.seconds(KafkaDefaults.MIN_CLOSE_TIMEOUT) + " (half of it bounds the final commit), was "
                    + closeTimeout);
        }
        this.closeTimeout = closeTimeout;
        return this;
    }

    /**
     * Asked on every poll while the processor is blocked; {@code true} resumes consumption, e.g.
     * {@code () -> policy.blockedHosts().isEmpty()}. Default: never, only {@link ResilientEventProcessor#resume()} resumes.
     */
    public ResilientEventProcessorBuilder<K, V> blockLifted(BooleanSupplier blockLifted) {
        this.blockLifted = Objects.requireNonNull(blockLifted, "blockLifted");
        return this;
    }

    /** The clock of not-before and first-failure times. Default: the system clock in UTC. */
    public ResilientEventProcessorBuilder<K, V> clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Told what the processor does. Default: nothing. */
    public ResilientEventProcessorBuilder<K, V> listener(ProcessorListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * The processor, not yet started.
     *
     * @throws IllegalArgumentException if a required setting is missing, a client setting contradicts no loss, or
     *                                  {@code max.poll.interval.ms} is under 2 s
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
        Duration maxPollInterval = ClientConfigs.maxPollInterval(consumer);
        if (maxPollInterval.compareTo(KafkaDefaults.MIN_POLL_INTERVAL) < 0) {
            throw new IllegalArgumentException(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG + " must be at least "
                    + Durations.seconds(KafkaDefaults.MIN_POLL_INTERVAL) + " (a quarter of it bounds each commit and a "
                    + "rebalance's wait for the revoked partitions' runs), was " + maxPollInterval.toMillis() + " ms");
        }
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
                commitTimeout(closeTimeout, maxPollInterval), pollTimeout, closeTimeout,
                blockLifted, clock, listener));
    }

    /**
     * The longest commit but the final one, and a rebalance's wait for the runs of the revoked partitions: half of
     * {@code closeTimeout},
     * but at most a quarter of {@code max.poll.interval.ms} ({@link KafkaDefaults#POLL_INTERVAL_SHARE}).
     */
    static Duration commitTimeout(Duration closeTimeout, Duration maxPollInterval) {
        Duration half = closeTimeout.dividedBy(2);
        Duration share = maxPollInterval.dividedBy(KafkaDefaults.POLL_INTERVAL_SHARE);
        return share.compareTo(half) < 0 ? share : half;
    }
}
