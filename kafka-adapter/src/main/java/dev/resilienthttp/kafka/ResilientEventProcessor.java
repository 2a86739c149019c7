package dev.resilienthttp.kafka;

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

import java.time.Duration;
import java.util.Optional;

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
 * <p><b>Concurrency, in key order.</b> Up to {@link ResilientEventProcessorBuilder#maxInFlight} records are handled at once, never two with
 * the same key, and each key's records in the order they were fetched (across the consumed topics; records without a
 * key keep their partition's order). An {@link AsyncEventHandler} holds no thread while it waits; a blocking
 * {@link EventHandler} runs on a pool of {@code maxInFlight} threads (virtual ones on Java 21+ if asked). The
 * processor's thread never waits for a handler: it keeps polling, so no handler's length causes a rebalance, whatever
 * {@code max.poll.records} and {@code max.poll.interval.ms} say.
 *
 * <p><b>Backpressure, not draining.</b> When the client refuses a call before any attempt (an open circuit, a spent
 * retry budget, a {@code Retry-After} hold past the deadline), the event is held, not routed: fetching stops, and the
 * held events run again after a growing wait (from 1 s to 30 s) until one call gets through. An event held
 * {@link ResilientEventProcessorBuilder#maxHold} goes to the error topic; so an outage costs at most {@code maxInFlight} error-topic copies
 * per {@code maxHold}, instead of the whole topic.
 *
 * <p><b>Delivery is at least once.</b> A partition's committed offset never passes a record that is not done: handled,
 * or its routed copy acknowledged by the brokers ({@code acks=all}, idempotent producer). A copy that fails to
 * produce is tried again with backoff, and nothing past it is committed; a copy the brokers can never take (too large,
 * not authorized) stops the processor ({@link ProcessorState#FAILED}). A rebalance lets what runs on the revoked
 * partitions finish (for up to half of {@code closeTimeout}, at most a quarter of {@code max.poll.interval.ms}) and
 * commits it; {@link #close()} does the same for all. After a crash, a rebalance or a close in the middle of a record,
 * the records after the last commit are processed again, so a handler must tolerate seeing an event twice (derive
 * an {@code Idempotency-Key} from the event's id).
 *
 * <p><b>Error-topic records wait</b> until their {@value FailureHeaders#NOT_BEFORE} time: the processor pauses the
 * partition instead of spinning, and resumes it when due (wall-clock time from the injected {@link java.time.Clock}); a
 * rebalance does not leave a partition paused.
 *
 * <p><b>A blocked host</b> ({@code BLOCKED}) pauses every partition, logs once at ERROR, routes and commits nothing
 * past the record, until {@link #resume()} is called or {@link ResilientEventProcessorBuilder#blockLifted} says so. A closed HTTP client
 * ({@code ClientClosedException}) is not the event's fault either: the processor stops and the event is redone by the
 * next run.
 *
 * <p><b>Bad input</b>: a key or value that cannot be deserialized, or a value that cannot carry the failure
 * fields, goes to the dead-letter topic as it was consumed, with the failure fields in headers and a reason; the
 * partition goes on.
 *
 * <p>Routed copies keep the key and the partition (the error and dead-letter topics need at least as many
 * partitions as the topics consumed: {@link #start()} checks it, and a copy whose partition was added to a consumed
 * topic later but not to its target stops the processor ({@link ProcessorState#FAILED}, a message naming the
 * partition and the topics to grow), its record not committed), carry the headers of {@link FailureHeaders}, and
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
    /*
     * Written under the lock by start() and stop(), read without it: a health check must not wait for a close. The
     * thread is published before the loop, so whoever sees the loop sees its thread.
     */
    private volatile ProcessorLoop<K, V> loop;
    private volatile Thread thread;
    private volatile boolean closed;

    ResilientEventProcessor(ProcessorSettings<K, V> settings) {
        this.settings = settings;
    }

    /** A builder for events with these key and value formats. */
    public static <K, V> ResilientEventProcessorBuilder<K, V> builder(Serde<K> keySerde, Serde<V> valueSerde) {
        return new ResilientEventProcessorBuilder<>(keySerde, valueSerde);
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
            ProcessorLoop<K, V> started = new ProcessorLoop<>(settings, consumer, producer, this::newProducer,
                    handlers);
            Thread running = new Thread(started, "resilient-event-processor-"
                    + settings.consumerConfig().get(ConsumerConfig.GROUP_ID_CONFIG));
            // Published before it starts: a listener that closes the processor from this thread finds it.
            thread = running;
            loop = started;
            running.start();
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

    /**
     * Where the processor is: for a health check, {@link ProcessorState#FAILED} needs a person. Answers at once, even
     * while {@link #close()} runs: {@link ProcessorState#CLOSED} only once the processor's thread has ended, its
     * clients closed; until then, while the records in hand finish, what it was ({@code RUNNING}, {@code HOLDING},
     * {@code BLOCKED}, or {@code FAILED} if it stopped on its own).
     */
    public ProcessorState state() {
        ProcessorLoop<K, V> loop = this.loop;
        if (loop == null) {
            return closed ? ProcessorState.CLOSED : ProcessorState.NEW;
        }
        // The thread first: a failure is set before the thread ends, so a thread seen ended shows its failure.
        boolean ended = !thread.isAlive();
        if (loop.failure() != null) {
            return ProcessorState.FAILED;
        }
        if (ended) {
            return ProcessorState.CLOSED;
        }
        if (loop.isBlocked()) {
            return ProcessorState.BLOCKED;
        }
        return loop.isHolding() ? ProcessorState.HOLDING : ProcessorState.RUNNING;
    }

    /** Resumes consumption after a {@code BLOCKED} failure paused it; does nothing otherwise. */
    public void resume() {
        ProcessorLoop<K, V> loop = this.loop;
        if (loop != null) {
            loop.resume();
        }
    }

    /** Whether the processor's thread is running. */
    public boolean isRunning() {
        Thread thread = this.thread;
        return thread != null && thread.isAlive();
    }

    /** The error that stopped the processor on its own, if one did. */
    public Optional<Throwable> failure() {
        ProcessorLoop<K, V> loop = this.loop;
        return Optional.ofNullable(loop == null ? null : loop.failure());
    }

    /**
     * Stops consuming, commits what is done and closes the clients. Waits up to {@code closeTimeout} for the records
     * in hand to finish, then cancels their handlers (interrupts a blocking one; those records are not committed and
     * will be processed again), then waits up to {@code closeTimeout} more. Idempotent. Called on the processor's
     * own thread (from a {@link ProcessorListener}), it asks the processor to stop and returns at once: the thread
     * closes as it would have.
     */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * As a crash: stops at once, its runs cancelled without a wait, and commits nothing more (neither a final commit
     * nor one in its consumer's close), so that the records done since the last commit are redone. For tests.
     */
    void abandon() {
        stop(true);
    }

    private void stop(boolean abandon) {
        Thread running = thread;
        if (running != null && Thread.currentThread() == running) {
            // A listener on the loop's thread: joining it would wait for itself. Not under the lock, which a close()
            // on another thread may hold while it waits for this thread.
            closed = true;
            request(loop, abandon);
            return;
        }
        stopAndWait(abandon);
    }

    private static void request(ProcessorLoop<?, ?> loop, boolean abandon) {
        if (abandon) {
            loop.abandon();
        } else {
            loop.stop();
        }
    }

    private synchronized void stopAndWait(boolean abandon) {
        closed = true;
        if (thread == null) {
            return;
        }
        request(loop, abandon);
        // The loop waits closeTimeout for the handlers, cancels them, then commits and closes the clients, all within
        // twice closeTimeout less an eighth (ProcessorLoop.shutdown).
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
}
