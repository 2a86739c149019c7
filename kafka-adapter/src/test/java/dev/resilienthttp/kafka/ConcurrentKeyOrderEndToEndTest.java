package dev.resilienthttp.kafka;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.retry.RetryPolicy;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.faults.ToxiproxyTest;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter at a production rate: 5,000 updates of 1,000 articles (5 versions each, keyed by article), an API that
 * answers after 20 ms and checks each article's versions arrive in order, reached through the test kit's proxy
 * resetting 3 % of connections. An {@link AsyncEventHandler} calls {@code client.sendAsync}, up to the default
 * {@code maxInFlight} at once. Halfway, the processor crashes (it stops at once: its calls cancelled, nothing more
 * committed, not even in its consumer's close) and a new one takes over the group.
 */
@ToxiproxyTest
@ExtendWith(KafkaTestBroker.Shared.class)
class ConcurrentKeyOrderEndToEndTest {
    private static final int ARTICLES = 1_000;
    private static final int VERSIONS = 5;
    private static final int EVENTS = ARTICLES * VERSIONS;

    @Test
    void everyUpdateSucceedsOnceInKeyOrderAndACrashRedoesOnlyWhatIsPastTheCommittedOffsets(
            KafkaTestBroker broker, ToxiproxyClient toxiproxy) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "concurrent", 4);
        broker.sendAll(VersionedApi.updates(pipeline.source(), ARTICLES, VERSIONS));
        Progress first = new Progress();
        Progress second = new Progress();
        Map<TopicPartition, Long> committedAtCrash;
        long started = System.nanoTime();
        try (VersionedApi api = VersionedApi.start(Duration.ofMillis(20), () -> 200);
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(TestClients.USER_AGENT)
                     .preferHttp1().retry(RetryPolicy.standard()).build()) {
            Proxy proxy = toxiproxy.createProxy("versioned-api", "127.0.0.1:0", "127.0.0.1:" + api.port());
            proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0).setToxicity(0.03f);
            URI uri = URI.create("http://" + proxy.getListen() + "/articles/");

            ResilientEventProcessor<String, String> crashing = processor(pipeline, client, uri, first).build().start();
            try {
                Await.until("2,000 updates done before the crash", Duration.ofSeconds(60),
                        () -> first.done.get() >= 2_000, crashing::failure);
            } finally {
                crashing.abandon();
            }
            committedAtCrash = broker.committed(pipeline.group());
            second.doneBefore(committedAtCrash);
            try (ResilientEventProcessor<String, String> next = processor(pipeline, client, uri, second).build()
                    .start()) {
                Await.until("the source committed to its end", Duration.ofSeconds(90),
                        () -> pipeline.committedToEnd(pipeline.source()),
                        () -> second.done.get() + " done after the crash, " + next.failure());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            KafkaNumbers.print("concurrent-key-order", String.format("events=%d articles=%d api-latency=20ms "
                            + "resets=3%% took=%.1fs events/s=%.0f done-before-crash=%d done-after-crash=%d "
                            + "committed-at-crash=%s redone=%d requests=%d accepted=%d replays=%d out-of-order=%d "
                            + "commit-past-unfinished=%d error-topic=%d dead-letter=%d", EVENTS, ARTICLES, seconds,
                    (first.done.get() + second.done.get()) / seconds, first.done.get(), second.done.get(),
                    committedAtCrash.values(), second.redoneOf(first), api.requests(), api.acceptedUpdates(),
                    api.replays(), api.outOfOrder(), first.violations.get() + second.violations.get(),
                    broker.records(pipeline.error()).size(), broker.records(pipeline.deadLetter()).size()));

            assertThat(api.acceptedUpdates()).as("every update reached the API").isEqualTo(EVENTS);
            assertThat(api.outOfOrder()).as("each article's versions in order").isZero();
            assertThat(first.violations.get() + second.violations.get())
                    .as("commits past a record not done").isZero();
            assertThat(second.belowCommitted.get()).as("records redone from below the committed offsets").isZero();
            // Redone: what the first processor finished after its last commit, and the calls the crash cut off (at
            // most maxInFlight), which may have reached the API though the first processor never saw them end.
            assertThat(api.replays()).as("only what was past the committed offsets at the crash is redone")
                    .isBetween(second.redoneOf(first), second.redoneOf(first) + KafkaDefaults.MAX_IN_FLIGHT);
            assertThat(broker.records(pipeline.error())).isEmpty();
            assertThat(broker.records(pipeline.deadLetter())).isEmpty();
        }
    }

    private static ResilientEventProcessorBuilder<String, String> processor(Pipeline pipeline,
                                                                            ResilientHttpClient client, URI api,
                                                                            Progress progress) {
        return pipeline.processor(Serdes.String())
                .listener(progress)
                .asyncHandler(record -> {
                    String[] update = record.value().split(":");
                    return client.sendAsync(VersionedApi.post(api, update[0], Integer.parseInt(update[1])),
                            BodyHandlers.discarding());
                });
    }


    /**
     * What one processor did, and a check at each commit that every offset below it is done (by this processor, or
     * below the offsets committed before it started).
     */
    private static final class Progress implements ProcessorListener {
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger violations = new AtomicInteger();
        final AtomicInteger belowCommitted = new AtomicInteger();
        final Set<String> doneRecords = ConcurrentHashMap.newKeySet();
        private final Map<TopicPartition, Long> startedAt = new ConcurrentHashMap<>();

        void doneBefore(Map<TopicPartition, Long> committed) {
            startedAt.putAll(committed);
        }

        @Override
        public void handled(TopicPartition partition, long offset) {
            done.incrementAndGet();
            doneRecords.add(partition + "@" + offset);
            if (offset < startedAt.getOrDefault(partition, 0L)) {
                belowCommitted.incrementAndGet();
            }
        }

        @Override
        public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
            offsets.forEach((partition, offset) -> {
                for (long o = startedAt.getOrDefault(partition, 0L); o < offset.offset(); o++) {
                    if (!doneRecords.contains(partition + "@" + o)) {
                        violations.incrementAndGet();
                    }
                }
            });
        }

        /** Records this processor did that {@code before} had done too. */
        int redoneOf(Progress before) {
            return (int) doneRecords.stream().filter(before.doneRecords::contains).count();
        }
    }
}
