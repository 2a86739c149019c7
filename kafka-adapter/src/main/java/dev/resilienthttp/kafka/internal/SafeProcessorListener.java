package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.ListenerGuard;
import dev.resilienthttp.kafka.ProcessorListener;
import dev.resilienthttp.kafka.Route;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A listener that cannot break the loop: what the user's listener throws is logged and forgotten. */
final class SafeProcessorListener implements ProcessorListener {
    private final ProcessorListener delegate;

    SafeProcessorListener(ProcessorListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void handled(TopicPartition partition, long offset) {
        safely(() -> delegate.handled(partition, offset));
    }

    @Override
    public void routed(TopicPartition partition, long offset, Route route, String kind, int failCount) {
        safely(() -> delegate.routed(partition, offset, route, kind, failCount));
    }

    @Override
    public void produceFailed(TopicPartition partition, long offset, Exception error, Duration retryIn) {
        safely(() -> delegate.produceFailed(partition, offset, error, retryIn));
    }

    @Override
    public void delayed(TopicPartition partition, long offset, Instant notBefore) {
        safely(() -> delegate.delayed(partition, offset, notBefore));
    }

    @Override
    public void blocked(TopicPartition partition, long offset, String reason) {
        safely(() -> delegate.blocked(partition, offset, reason));
    }

    @Override
    public void held(TopicPartition partition, long offset, String reason) {
        safely(() -> delegate.held(partition, offset, reason));
    }

    @Override
    public void released() {
        safely(delegate::released);
    }

    @Override
    public void stopped(Throwable error) {
        safely(() -> delegate.stopped(error));
    }

    @Override
    public void unblocked() {
        safely(delegate::unblocked);
    }

    @Override
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        safely(() -> delegate.committed(offsets));
    }

    private static void safely(Runnable event) {
        ListenerGuard.run(event, "a ProcessorListener", "the processor goes on");
    }
}
