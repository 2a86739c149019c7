package dev.resilienthttp.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.concurrent.CompletionStage;

/**
 * The user's work for one event, without a thread of its own while it waits: typically
 * {@code client.sendAsync(…)}. The processor calls it on its own thread, so it must return quickly, and runs up to
 * {@code maxInFlight} at once, never two of one key.
 *
 * <p>The stage completing normally means the event is done. Completing exceptionally (or the call throwing) is
 * treated as {@link EventHandler} treats a throw, a {@code CompletionException}'s cause looked at instead of it.
 * Cancelling is the processor's: on {@code close()} it cancels the stages still running, and those records are not
 * committed.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface AsyncEventHandler<K, V> {
    /** Starts processing one event. Delivery is at least once: the same event may be handled again after a crash. */
    CompletionStage<?> handle(ConsumerRecord<K, V> record);
}
