package dev.resilienthttp.kafka;

import dev.resilienthttp.core.HttpFailureException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The user's work for one event, typically one or more calls through a {@code ResilientHttpClient}. The processor
 * calls it on its own thread, one record at a time, in partition order.
 *
 * <p>How the processor treats what it throws:
 * <ul>
 *   <li>{@link HttpFailureException}: routed by its report's kind ({@link RoutingDecision}).</li>
 *   <li>{@link InterruptedException}: the processor is closing; the record is not done and is not committed.</li>
 *   <li>any other {@link RuntimeException}: a bug in the handler, or an event it cannot handle. The event goes to
 *       the dead-letter topic with kind {@value FailureHeaders#KIND_HANDLER_ERROR} and the exception's class and
 *       message as its reason, so one bad event does not stop the partition, and it can be redriven once the
 *       handler is fixed.</li>
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
