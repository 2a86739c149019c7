package dev.resilienthttp.kafka;

import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code close()} ends the loop within its bound, even with a handler stuck in a call, and commits only what is done. */
@ExtendWith(KafkaTestBroker.Shared.class)
class CloseEndToEndTest {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void closeInterruptsAStuckHandlerWithinItsBoundAndCommitsOnlyTheRecordsDone(KafkaTestBroker broker)
            throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "close", 1);
        for (int i = 0; i < 3; i++) {
            broker.send(new ProducerRecord<>(pipeline.source(), 0, ("article-" + i).getBytes(StandardCharsets.UTF_8),
                    ("event-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        List<String> interrupted = new CopyOnWriteArrayList<>();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                .closeTimeout(CLOSE_TIMEOUT)
                .handler(record -> {
                    if (record.value().equals("event-1")) {
                        stuck.countDown();
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            interrupted.add(record.value());
                            throw e;
                        }
                    }
                    handled.add(record.value());
                }).build().start();
        long closing;
        long took;
        try {
            Await.until("the handler stuck on event-1", Duration.ofSeconds(20), () -> stuck.getCount() == 0,
                    processor::failure);
        } finally {
            closing = System.nanoTime();
            processor.close();
            took = Duration.ofNanos(System.nanoTime() - closing).toMillis();
        }
        Map<TopicPartition, Long> committed = broker.committed(pipeline.group());

        List<String> redone = new CopyOnWriteArrayList<>();
        try (ResilientEventProcessor<String, String> next = pipeline.processor(Serdes.String())
                .handler(record -> redone.add(record.value())).build().start()) {
            Await.until("the next processor redoes what was not done", Duration.ofSeconds(20),
                    () -> redone.size() == 2, next::failure);
        }
        KafkaNumbers.print("close-stuck-handler", String.format("events=3 handled-before-close=%d interrupted=%d "
                        + "close-took=%dms close-timeout=%dms committed=%s redone-after-restart=%s", handled.size(),
                interrupted.size(), took, CLOSE_TIMEOUT.toMillis(), committed.values(), redone));

        assertThat(processor.isRunning()).isFalse();
        assertThat(took).as("close() within twice its timeout, plus slack").isLessThan(
                CLOSE_TIMEOUT.multipliedBy(2).plusSeconds(2).toMillis());
        assertThat(handled).as("other keys ran beside the stuck one").containsExactlyInAnyOrder("event-0", "event-2");
        assertThat(interrupted).containsExactly("event-1");
        assertThat(committed).as("not past the stuck record, though event-2 is done")
                .containsEntry(new TopicPartition(pipeline.source(), 0), 1L);
        assertThat(redone).containsExactlyInAnyOrder("event-1", "event-2");
    }
}
