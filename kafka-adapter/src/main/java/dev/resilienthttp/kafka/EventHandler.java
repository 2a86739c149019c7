package dev.resilienthttp.kafka;

import dev.resilienthttp.core.HttpFailureException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The user's work for one event, typically one or more calls through a {@code ResilientHttpClient}. The processor
 * runs it on up to {@link ResilientEventProcessorBuilder#maxInFlight maxInFlight} threads at once, never two
 * records of one key at a time, each key's records in partition order (records without a key in the order of their
 * partition). So the handler must be safe to call from several threads at once.
 *
 * <p>How the processor treats what it throws:
 * <ul>
 *   <li>{@link HttpFailureException}: routed by its report's kind ({@link RoutingDecision}).</li>
 *   <li>{@link InterruptedException} when the processor interrupted the handler, which it does only on
 *       {@link ResilientEventProcessor#close()} or when the record's partition is taken away in a rebalance: the
 *       record is not done and is not committed, so the next run (or the partition's next owner) handles it again.
 *       At any other time the handler's own code caused it, and it is treated as any other exception below.</li>
 *   <li>{@link dev.resilienthttp.core.ClientClosedException}: the HTTP client was closed, so the application is
 *       shutting down and the event is not at fault. The processor stops without committing the record.</li>
 *   <li>any other exception: a bug in the handler, or an event it cannot handle. The event goes to the dead-letter
 *       topic with kind {@value FailureHeaders#KIND_HANDLER_ERROR} and the exception's class and message as its
 *       reason, so one bad event does not stop the partition, and it can be redriven once the handler is
 *       fixed.</li>
 *   <li>an {@link Error}: the processor stops without committing the record (the JVM is in trouble).</li>
 * </ul>
 * Returning normally means the event is done: its offset may be committed.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface EventHandler<K, V> {
    /** Processes one event. Delivery is at least once: the same event may be handled again after a crash. */
    void handle(ConsumerRecord<K, V> record) throws HttpFailureException, InterruptedException;
}
