package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.kafka.ProcessorListener;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Routes failed records' copies for the loop: produces each without waiting and hands its acknowledgement back to
 * the loop's thread. While routing fails, one copy probes, tried again with backoff, and the other copies wait
 * unsent: a send can block for {@code max.block.ms} when the brokers are away, and only the probe pays for it. Only
 * the loop's thread uses it.
 */
final class CopyRouter {
    private static final Logger LOG = LoggerFactory.getLogger(CopyRouter.class);

    /** What the loop does once a copy's fate is known. */
    interface Outcomes {
        /** The brokers acknowledged the copy: its record is done. */
        void routed(Work work);

        /** The copy can never be produced (too large, not authorized, …): the processor must stop. */
        void cannotRoute(Work work, Exception error);
    }

    private final RoutingProducer producer;
    private final Backoff backoff;
    private final ProcessorListener listener;
    private final Consumer<Runnable> handBack;
    private final Outcomes outcomes;
    private final Set<Work> producing = new LinkedHashSet<>();
    private final List<Work> waiting = new ArrayList<>();
    private Work probe;
    private long probeAtNanos;

    /** @param handBack runs a task on the loop's thread, from any thread */
    CopyRouter(RoutingProducer producer, Backoff backoff, ProcessorListener listener, Consumer<Runnable> handBack,
               Outcomes outcomes) {
        this.producer = producer;
        this.backoff = backoff;
        this.listener = listener;
        this.handBack = handBack;
        this.outcomes = outcomes;
    }

    /** Produces the work's copy, or keeps it until the probe gets through. */
    void route(Work work) {
        if (probe != null && probe != work) {
            waiting.add(work);
            return;
        }
        producing.add(work);
        producer.send(work.partition, work.copy.record(),
                (error, sender) -> handBack.accept(() -> acked(work, error, sender)));
    }

    /** Sends the probe again once its backoff has passed. */
    void retryDue(long nowNanos) {
        if (nanosToProbe(nowNanos) == 0) {
            route(probe);
        }
    }

    /** Nanoseconds until the probe is due again, or {@code Long.MAX_VALUE} if none waits. */
    long nanosToProbe(long nowNanos) {
        return probe == null || producing.contains(probe) ? Long.MAX_VALUE : Math.max(0, probeAtNanos - nowNanos);
    }

    /**
     * Whether a copy {@code chosen} picks is with the producer, its acknowledgement to come. Copies waiting for the
     * probe are not: while routing fails, waiting for them would only use up a close's or a rebalance's time.
     */
    boolean busyWith(Predicate<Work> chosen) {
        return producing.stream().anyMatch(chosen);
    }

    /**
     * The partitions were revoked: their copies are no longer ours to route; the next owner redoes the records. A
     * revoked probe did not get through: the first waiting copy takes its place, its due time and its count of
     * failures, so the backoff goes on and the other copies still wait (each send may block {@code max.block.ms}).
     */
    void forget(Set<TopicPartition> gone) {
        producing.forEach(work -> work.abandoned |= gone.contains(work.partition));
        waiting.removeIf(work -> gone.contains(work.partition));
        if (probe != null && gone.contains(probe.partition)) {
            probe.abandoned = true;
            Work next = waiting.isEmpty() ? null : waiting.remove(0);
            if (next != null) {
                next.produceFailures = Math.max(next.produceFailures, probe.produceFailures);
            }
            probe = next;
        }
    }

    void close(Duration within) {
        producer.close(within);
    }

    private void acked(Work work, Exception error, Producer<byte[], byte[]> sender) {
        producing.remove(work);
        if (work.abandoned) {
            return;
        }
        if (error == null) {
            outcomes.routed(work);
            if (probe == work) {
                probeGotThrough();
            }
            return;
        }
        if (ProduceErrors.cannotSucceed(error)) {
            outcomes.cannotRoute(work, error);
            return;
        }
        producer.failed(error, sender);
        String topic = work.copy.record().topic();
        if (probe != null && probe != work) {
            waiting.add(work);
            LOG.warn("routing {} to {} failed; it waits for the copy being tried again: {}", work, topic,
                    error.toString());
            listener.produceFailed(work.partition, work.offset(), error, Duration.ofNanos(
                    Math.min(Long.MAX_VALUE / 2, Math.max(0, probeAtNanos - System.nanoTime()))));
            return;
        }
        probe = work;
        work.produceFailures++;
        Duration retryIn = backoff.after(work.produceFailures, Duration.ZERO);
        probeAtNanos = System.nanoTime() + retryIn.toNanos();
        LOG.warn("routing {} to {} failed; nothing past it is committed, next try in {}: {}", work, topic, retryIn,
                error.toString());
        listener.produceFailed(work.partition, work.offset(), error, retryIn);
    }

    private void probeGotThrough() {
        probe = null;
        List<Work> sending = List.copyOf(waiting);
        waiting.clear();
        sending.forEach(this::route);
    }
}
