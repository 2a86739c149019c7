package dev.resilienthttp.kafka;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.retry.RetryPolicy;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** No event cycles for ever, whatever the protections answer on each pass. */
@ExtendWith(KafkaTestBroker.Shared.class)
class BoundedPassesEndToEndTest {
    @Test
    void anEventWhoseHostAlwaysAsksForSixtySecondsReachesTheDeadLetterTopicAfterItsBoundWithAReasonNamingIt(
            KafkaTestBroker broker) throws Exception {
        Pipeline pipeline = Pipeline.create(broker, "retry-after-60", 1);
        broker.send(new ProducerRecord<>(pipeline.source(), bytes("article-1"), bytes("article-1:1")));
        RecordingListener listener = new RecordingListener();
        // Retry-After: 60 is far past this 2 s deadline: the first pass makes one attempt, later passes find the host
        // held and are refused before any attempt.
        RetryPolicy policy = RetryPolicy.builder().deadline(Duration.ofSeconds(2)).build();
        try (VersionedApi api = VersionedApi.start(Duration.ZERO, () -> 429);
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent(TestClients.USER_AGENT)
                     .preferHttp1().retry(policy).build()) {
            URI uri = api.uri();
            long started = System.nanoTime();
            try (ResilientEventProcessor<String, String> processor = pipeline.processor(Serdes.String())
                    .listener(listener)
                    .maxPasses(4)
                    .maxHold(Duration.ofMillis(500))
                    .holdRetry(Duration.ofMillis(50), Duration.ofMillis(100))
                    .asyncHandler(record -> client.sendAsync(VersionedApi.post(uri, "article-1", 1),
                            BodyHandlers.discarding())).build().start()) {
                Await.until("the event dead-lettered", Duration.ofSeconds(60),
                        () -> listener.routedTo(Route.DEAD_LETTER_TOPIC) == 1, processor::failure);
            }
            long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
            List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.records(pipeline.deadLetter());
            String reason = RoutingEndToEndTest.header(deadLetters.get(0), FailureHeaders.FAIL_REASON);
            KafkaNumbers.print("retry-after-forever", String.format("events=1 passes=%d error-topic=%d "
                            + "dead-letter=%d api-requests=%d held=%d took=%dms fail_count=%s reason=\"%s\"",
                    listener.routed.size(), broker.records(pipeline.error()).size(), deadLetters.size(),
                    api.requests(), listener.held.size(), took,
                    RoutingEndToEndTest.header(deadLetters.get(0), FailureHeaders.FAIL_COUNT), reason));

            assertThat(broker.records(pipeline.error())).as("passes 1 to 3").hasSize(3);
            assertThat(deadLetters).hasSize(1);
            assertThat(reason).startsWith("maxPasses 4 reached (4 failed passes, fail_count 1)");
            assertThat(RoutingEndToEndTest.header(deadLetters.get(0), FailureHeaders.FAIL_COUNT))
                    .as("only the pass with an attempt counted").isEqualTo("1");
            assertThat(api.requests()).as("the host's Retry-After was honoured after the first answer")
                    .isEqualTo(1);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
