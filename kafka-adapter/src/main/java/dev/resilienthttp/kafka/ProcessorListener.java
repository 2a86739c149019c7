package dev.resilienthttp.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a {@link ResilientEventProcessor} does, for metrics and tests. Every method does nothing by default. They are
 * called on the processor's thread, so they must be quick; an exception thrown by one is logged and ignored.
 *
 * <p>Order and pairing, per record: {@link #handled} or {@link #routed} once it is done (either may come again for
 * the same offset after a rebalance or restart: delivery is at least once); before that, {@link #delayed} each time
 * it is found not yet due, {@link #produceFailed} for each failed attempt to route it, {@link #blocked} when its
 * handler reports a blocked host (then {@link #unblocked} once, when consumption resumes), {@link #held} when a
 * protection of the client refused its call (then {@link #released} once, when calls get through again).
 * {@link #committed} follows, once the offsets past done records are committed. {@link #stopped} comes once, last,
 * if the processor stops on its own.
 */
public interface ProcessorListener {
    /** The handler returned normally for the record at {@code offset}. */
    default void handled(TopicPartition partition, long offset) {
    }

    /**
     * The record's routed copy was acknowledged by the brokers ({@code acks=all}).
     *
     * @param kind      what failed the pass, as in the {@value FailureHeaders#KIND} header
     * @param failCount the copy's {@code fail_count}
     */
    default void routed(TopicPartition partition, long offset, Route route, String kind, int failCount) {
    }

    /** Producing the routed copy failed; it is tried again after {@code retryIn}, and nothing past it is committed. */
    default void produceFailed(TopicPartition partition, long offset, Exception error, Duration retryIn) {
    }

    /** The error-topic record is not due before {@code notBefore}: its partition is paused until then. */
    default void delayed(TopicPartition partition, long offset, Instant notBefore) {
    }

    /** The handler reported a blocked host: every partition is paused until the block is lifted. */
    default void blocked(TopicPartition partition, long offset, String reason) {
    }

    /** Consumption resumed after {@link #blocked}. */
    default void unblocked() {
    }

    /**
     * A protection of the client (an open circuit, a spent retry budget, a {@code Retry-After} hold) refused the
     * record's call before any attempt: the processor stops fetching and runs the held records again when calls get
     * through. Comes for the first refusal of a hold only.
     */
    default void held(TopicPartition partition, long offset, String reason) {
    }

    /** Calls got through again after {@link #held}: fetching resumes. */
    default void released() {
    }

    /**
     * The processor stopped on its own, with nothing past the record that stopped it committed: a routed copy the
     * brokers can never take (or whose partition its topic lacks), a closed HTTP client, an {@link Error}.
     * {@code error} is also {@code ResilientEventProcessor.failure()}.
     */
    default void stopped(Throwable error) {
    }

    /** These offsets were committed: every record before each of them is done. */
    default void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }
}
