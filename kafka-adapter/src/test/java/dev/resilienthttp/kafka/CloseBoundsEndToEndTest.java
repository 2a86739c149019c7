package dev.resilienthttp.kafka;

import dev.resilienthttp.core.ClientClosedException;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code close()} keeps its bound when the brokers are gone, when a listener closes the processor from the
 * processor's own thread, and never makes a health check wait.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class CloseBoundsEndToEndTest {

    @Test
    void closeWithTheBrokersUnreachableAndARoutedCopyUnacknowledgedReturnsWithinTwiceItsTimeout(
            KafkaTestBroker broker) throws Exception {
        Duration closeTimeout = Duration.ofSeconds(2);
        Pipeline pipeline = Pipeline.create(broker, "close-unreachable", 2);
        RecordingListener listener = new RecordingListener();
        CountDownLatch lateRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.proxiedBootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, pipeline.group()))
                .producerConfig(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.proxiedBootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG, 0))
                .closeTimeout(closeTimeout)
                .listener(listener)
                .handler(record -> {
                    if (record.value().endsWith("-late")) {
                        lateRunning.countDown();
                        release.await(20, TimeUnit.SECONDS);
                    }
                    if (record.value().startsWith("fail")) {
                        throw Failures.status(FailureKind.CLIENT_ERROR, 404, "http://api/articles/" + record.key());
                    }
                }).build().start();
        long took;
        try {
            send(broker, pipeline, 0, "article-0", "fail-warm-up");
            Await.until("the warm-up copy dead-lettered: both clients reach the broker", Duration.ofSeconds(20),
                    () -> listener.routed.size() == 1, processor::failure);
            send(broker, pipeline, 0, "article-1", "fail-late");
            send(broker, pipeline, 1, "article-2", "ok-late");
            assertThat(lateRunning.await(20, TimeUnit.SECONDS)).as("fail-late and ok-late run").isTrue();
            // The brokers become unreachable without a disconnect: a send does not block for metadata (max.block.ms),
            // as it may once the connections are gone, which no bound of close() covers.
            broker.silenceProxiedPath();
            // fail-late's 404 is routed now, and the brokers never acknowledge the copy; ok-late is done, and no
            // commit of it can reach them.
            release.countDown();
            Await.until("ok-late handled", Duration.ofSeconds(10), () -> listener.handled.size() == 1,
                    processor::failure);
            long closing = System.nanoTime();
            processor.close();
            took = Duration.ofNanos(System.nanoTime() - closing).toMillis();
        } finally {
            release.countDown();
            processor.close();
            broker.endSilence();
        }
        KafkaNumbers.print("close-brokers-unreachable", String.format("close-took=%dms close-timeout=%dms", took,
                closeTimeout.toMillis()));

        assertThat(processor.isRunning()).isFalse();
        assertThat(took).as("close() returns before stop() gives up on the loop (twice closeTimeout) and "
                + "interrupts it").isLessThan(closeTimeout.multipliedBy(2).toMillis());
    }

    @Test
    void aListenerWhoseStoppedClosesTheProcessorReturnsWithinCloseTimeout(KafkaTestBroker broker) throws Exception {
        Duration closeTimeout = Duration.ofSeconds(1);
        Pipeline pipeline = Pipeline.create(broker, "close-from-listener", 1);
        AtomicReference<ResilientEventProcessor<String, String>> self = new AtomicReference<>();
        AtomicLong closeTookMillis = new AtomicLong(-1);
        CountDownLatch closedByListener = new CountDownLatch(1);
        ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .closeTimeout(closeTimeout)
                .listener(new ProcessorListener() {
                    @Override
                    public void stopped(Throwable error) {
                        long closing = System.nanoTime();
                        self.get().close();      // on the processor's own thread
                        closeTookMillis.set(Duration.ofNanos(System.nanoTime() - closing).toMillis());
                        closedByListener.countDown();
                    }
                })
                .handler(record -> {
                    throw new ClientClosedException("the application's HTTP client was closed");
                }).build();
        self.set(processor);
        try {
            processor.start();
            send(broker, pipeline, 0, "article-0", "event-0");
            assertThat(closedByListener.await(20, TimeUnit.SECONDS)).as("the listener closed the processor")
                    .isTrue();
            Await.until("the processor's thread ended", Duration.ofSeconds(10), () -> !processor.isRunning());
        } finally {
            processor.close();
        }

        assertThat(closeTookMillis.get()).as("close() from the loop's thread does not wait for that thread")
                .isBetween(0L, closeTimeout.toMillis() - 1);
        assertThat(processor.state()).isEqualTo(ProcessorState.FAILED);
    }

    @Test
    void stateAnswersAtOnceWhileCloseWaitsForAStuckHandlerAndSaysClosedOnlyOnceTheThreadEnded(KafkaTestBroker broker)
            throws Exception {
        Duration closeTimeout = Duration.ofSeconds(1);
        Pipeline pipeline = Pipeline.create(broker, "state-during-close", 1);
        CountDownLatch stuck = new CountDownLatch(1);
        ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .closeTimeout(closeTimeout)
                .handler(record -> {
                    stuck.countDown();
                    new CountDownLatch(1).await(20, TimeUnit.SECONDS);   // until close() interrupts it
                }).build().start();
        Thread closer = new Thread(processor::close, "state-during-close-closer");
        long stateTook;
        ProcessorState during;
        boolean runningBefore;
        boolean runningAfter;
        try {
            send(broker, pipeline, 0, "article-0", "event-0");
            assertThat(stuck.await(20, TimeUnit.SECONDS)).as("the handler is stuck").isTrue();
            closer.start();
            // The closer waits for the loop's thread (close() lets the handler run for closeTimeout).
            Await.until("close() waits for the loop", Duration.ofSeconds(10),
                    () -> closer.getState() == Thread.State.TIMED_WAITING);
            runningBefore = processor.isRunning();
            long asking = System.nanoTime();
            during = processor.state();
            stateTook = Duration.ofNanos(System.nanoTime() - asking).toMillis();
            runningAfter = processor.isRunning();
        } finally {
            closer.join(TimeUnit.SECONDS.toMillis(10));
            processor.close();
        }

        assertThat(closer.isAlive()).isFalse();
        assertThat(stateTook).as("state() does not wait for close()").isLessThan(250);
        assertThat(runningBefore && runningAfter).as("the thread ran while state() was asked").isTrue();
        assertThat(during).as("not CLOSED while the thread runs and its clients are open")
                .isEqualTo(ProcessorState.RUNNING);
        assertThat(processor.isRunning()).isFalse();
        assertThat(processor.state()).as("once close() returned and the thread ended")
                .isEqualTo(ProcessorState.CLOSED);
    }

    private static void send(KafkaTestBroker broker, Pipeline pipeline, int partition, String key, String value)
            throws Exception {
        broker.send(new ProducerRecord<>(pipeline.source(), partition, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
    }
}
