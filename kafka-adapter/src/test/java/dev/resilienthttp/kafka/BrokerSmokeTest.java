package dev.resilienthttp.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaTestBroker.Shared.class)
class BrokerSmokeTest {
    @Test
    void aProducerThroughTheProxyReachesTheBroker(KafkaTestBroker broker) throws Exception {
        broker.createTopics(1, "smoke");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.proxiedBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>("smoke", "v".getBytes())).get(10, TimeUnit.SECONDS);
        }
        assertThat(broker.records("smoke")).hasSize(1);
        System.out.println("proxied " + broker.proxiedBootstrapServers() + " direct " + broker.bootstrapServers());
    }
}
