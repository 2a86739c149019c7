package dev.resilienthttp.fleet;

import dev.resilienthttp.fleet.internal.Signal;
import dev.resilienthttp.fleet.internal.SignalCodec;
import dev.resilienthttp.kafka.KafkaTestBroker;
import dev.resilienthttp.faults.Await;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** A control topic of the test's own on the shared broker, configured as the README says. */
final class ControlTopics {
    private ControlTopics() {
    }

    static String create(KafkaTestBroker broker, String name) throws Exception {
        String topic = "http-control-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1, Map.of("cleanup.policy", "compact,delete", "retention.ms", "604800000",
                "segment.ms", "3600000", "min.cleanable.dirty.ratio", "0.1"));
        return topic;
    }

    /** Writes {@code signal} to {@code topic} as another instance would, and waits for the acknowledgement. */
    static void write(KafkaTestBroker broker, String topic, Signal signal) throws Exception {
        write(broker, topic, SignalCodec.key(signal), SignalCodec.value(signal));
    }

    static void write(KafkaTestBroker broker, String topic, byte[] key, byte[] value) throws Exception {
        broker.send(new ProducerRecord<>(topic, key, value));
    }

    /**
     * Waits until every instance reads the topic: a record of an instance named {@code warm-up} latches a host
     * nobody calls, and each instance must hear it. A service's instances have been running for a while when an API
     * blocks it; this is that while.
     *
     * @return the host latched, which an instance may unblock to check that its own records reach the others
     */
    static String warmUp(KafkaTestBroker broker, String topic, Instance... instances) throws Exception {
        String host = "warm-up-" + UUID.randomUUID().toString().substring(0, 8) + ".invalid:1";
        Instant now = Instant.now();
        write(broker, topic, new Signal(Signal.What.BLOCKED, host, "warm-up", now, now.plusSeconds(60), null,
                "warm-up"));
        for (Instance instance : instances) {
            Await.until(instance.name + " reads the control topic", Duration.ofSeconds(30),
                    () -> instance.heard("hostBlockedRemotely", host));
        }
        return host;
    }

    /** The records of {@code topic} about {@code host}, in order, each as {@code "<what> by <instance>"}. */
    static List<String> about(KafkaTestBroker broker, String topic, String host) {
        return broker.records(topic).stream().filter(record -> record.value() != null).map(record -> {
            try {
                return SignalCodec.decode(record.key(), record.value());
            } catch (SignalCodec.BadSignal e) {
                throw new AssertionError(e);
            }
        }).filter(signal -> signal.host().equals(host)).map(signal -> signal.what() + " by " + signal.instance())
                .collect(Collectors.toList());
    }

    /** Prints one line of numbers to the test's output (target/surefire-reports/*-output.txt). */
    static void print(String test, String numbers) {
        System.out.println("[fleet numbers] " + test + ": " + numbers);
    }
}
