package dev.resilienthttp.fleet;

import dev.resilienthttp.kafka.KafkaTestBroker;
import dev.resilienthttp.kafka.ProcessorListener;
import dev.resilienthttp.kafka.ProcessorState;
import dev.resilienthttp.kafka.ResilientEventProcessor;
import dev.resilienthttp.kafka.Route;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka adapter's processor pauses on a remote {@code BLOCKED} as it does on a local one, routing nothing, and
 * resumes when a person's unblock on another instance lifts it: the remote latch is the policy's own latch, so the
 * handler's call is refused with the same {@code BLOCKED} failure and {@code blockLifted} sees it lifted.
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class RemoteBlockPausesProcessorEndToEndTest {
    private static final int EVENTS = 5;

    @Test
    void aProcessorPausesOnAnotherInstancesLatchWithoutRoutingAndResumesOnAnUnblockElsewhere(KafkaTestBroker broker)
            throws Exception {
        String id = "remote-block-" + UUID.randomUUID().toString().substring(0, 8);
        String source = id;
        String error = id + "-error";
        String deadLetter = id + "-dlt";
        for (String topic : List.of(source, error, deadLetter)) {
            broker.createTopic(topic, 1, Map.of());
        }
        String control = ControlTopics.create(broker, "processor");
        List<String> handled = new CopyOnWriteArrayList<>();
        List<String> routed = new CopyOnWriteArrayList<>();
        try (LoopbackOrigin origin = LoopbackOrigin.start(instance -> "a".equals(instance)
                ? LoopbackOrigin.Answer.FORBIDDEN : LoopbackOrigin.Answer.OK);
             Instance a = Instance.inFleet("a", broker.bootstrapServers(), control);
             Instance b = Instance.inFleet("b", broker.bootstrapServers(), control)) {
            String host = origin.host();
            ControlTopics.warmUp(broker, control, a, b);
            while (!a.call(origin.uri()).refusedBlocked()) {
                // a collects its 20 403s and latches
            }
            Await.until("b latched by a's record", Duration.ofSeconds(10), () -> b.heard("hostBlockedRemotely", host));
            for (int i = 0; i < EVENTS; i++) {
                broker.send(new ProducerRecord<>(source, 0, ("article-" + i).getBytes(StandardCharsets.UTF_8),
                        ("event-" + i).getBytes(StandardCharsets.UTF_8)));
            }

            try (ResilientEventProcessor<String, String> processor = ResilientEventProcessor
                    .builder(Serdes.String(), Serdes.String())
                    .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG, id + "-group"))
                    .producerConfig(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))
                    .topics(source, error)
                    .errorTopic(error)
                    .deadLetterTopic(deadLetter)
                    .pollTimeout(Duration.ofMillis(50))
                    .listener(new ProcessorListener() {
                        @Override
                        public void routed(TopicPartition partition, long offset, Route route, String kind,
                                           int failCount) {
                            routed.add(route + " " + kind);
                        }
                    })
                    .blockLifted(() -> !b.policy.blockedHosts().contains(host))
                    .handler(record -> {
                        b.send(origin.uri());   // a failure, BLOCKED included, is thrown to the processor
                        handled.add(record.value());
                    }).build().start()) {
                Await.until("the processor pauses", Duration.ofSeconds(20),
                        () -> processor.state() == ProcessorState.BLOCKED, processor::failure);
                long fromB = origin.requestsFrom("b");

                a.policy.unblock(host);
                Await.until("the processor resumes and handles every event", Duration.ofSeconds(20),
                        () -> handled.size() == EVENTS, processor::failure);

                assertThat(fromB).as("b sent nothing while latched by a's record").isZero();
                assertThat(routed).as("nothing routed to the error or dead-letter topic").isEmpty();
                assertThat(processor.state()).isEqualTo(ProcessorState.RUNNING);
                assertThat(b.heard("hostUnblockedRemotely", host)).isTrue();
            }
        }
    }
}
