package dev.resilienthttp.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a processor reports, for assertions; safe to read from the test thread. */
final class RecordingListener implements ProcessorListener {
    /** One routed copy as the listener saw it. */
    record Routed(TopicPartition partition, long offset, Route route, String kind, int failCount) {
    }

    final List<String> handled = new CopyOnWriteArrayList<>();
    final List<Routed> routed = new CopyOnWriteArrayList<>();
    final List<String> produceFailures = new CopyOnWriteArrayList<>();
    final List<Instant> delays = new CopyOnWriteArrayList<>();
    final AtomicInteger blocked = new AtomicInteger();
    final AtomicInteger unblocked = new AtomicInteger();
    final AtomicInteger commits = new AtomicInteger();
    final List<String> held = new CopyOnWriteArrayList<>();
    final AtomicInteger released = new AtomicInteger();
    final List<Throwable> stopped = new CopyOnWriteArrayList<>();

    @Override
    public void handled(TopicPartition partition, long offset) {
        handled.add(partition + "@" + offset);
    }

    @Override
    public void routed(TopicPartition partition, long offset, Route route, String kind, int failCount) {
        routed.add(new Routed(partition, offset, route, kind, failCount));
    }

    @Override
    public void produceFailed(TopicPartition partition, long offset, Exception error, Duration retryIn) {
        produceFailures.add(partition + "@" + offset + ": " + error);
    }

    @Override
    public void delayed(TopicPartition partition, long offset, Instant notBefore) {
        delays.add(notBefore);
    }

    @Override
    public void blocked(TopicPartition partition, long offset, String reason) {
        blocked.incrementAndGet();
    }

    @Override
    public void unblocked() {
        unblocked.incrementAndGet();
    }

    @Override
    public void held(TopicPartition partition, long offset, String reason) {
        held.add(partition + "@" + offset + ": " + reason);
    }

    @Override
    public void released() {
        released.incrementAndGet();
    }

    @Override
    public void stopped(Throwable error) {
        stopped.add(error);
    }

    @Override
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commits.incrementAndGet();
    }

    long routedTo(Route route) {
        return routed.stream().filter(r -> r.route() == route).count();
    }
}
