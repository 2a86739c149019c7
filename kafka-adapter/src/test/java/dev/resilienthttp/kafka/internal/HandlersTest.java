package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.EventHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Where handlers run: every started run reports its end exactly once, however it is cancelled. */
class HandlersTest {
    @Test
    void aBlockingRunCancelledBeforeAThreadTookItReportsItsEndOnceAndNeverRuns() throws Exception {
        CountDownLatch firstRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> ran = new CopyOnWriteArrayList<>();
        EventHandler<String, String> handler = record -> {
            ran.add(record.offset());
            if (record.offset() == 0) {
                firstRuns.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
        };
        List<Throwable> secondEnds = new CopyOnWriteArrayList<>();
        CountDownLatch firstEnded = new CountDownLatch(1);
        Handlers handlers = Handlers.blocking(handler, 1, false, "handlers-test");
        try {
            handlers.start(record(0), (ignored, error) -> firstEnded.countDown());
            assertThat(firstRuns.await(10, TimeUnit.SECONDS)).isTrue();
            // One thread, busy: the second run waits in the pool's queue when it is cancelled.
            Runnable cancel = handlers.start(record(1), (ignored, error) -> secondEnds.add(error));
            cancel.run();
            cancel.run();
            release.countDown();
            assertThat(firstEnded.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            handlers.close();
        }

        assertThat(secondEnds).singleElement().isInstanceOf(CancellationException.class);
        assertThat(ran).as("the cancelled run never started").containsExactly(0L);
    }

    private static ConsumerRecord<String, String> record(long offset) {
        return new ConsumerRecord<>("t", 0, offset, "k" + offset, "v");
    }
}
