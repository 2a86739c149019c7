package dev.resilienthttp.kafka;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.retry.RetryPolicy;
import dev.resilienthttp.testkit.Await;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@ExtendWith(KafkaTestBroker.Shared.class)
class ScratchRateTest {
    @Test
    void rate(KafkaTestBroker broker) throws Exception {
        for (int inFlight : new int[]{Integer.getInteger("inflight", 64)}) {
            Pipeline pipeline = Pipeline.create(broker, "rate", 4);
            List<ProducerRecord<byte[], byte[]>> events = new ArrayList<>();
            for (int v = 1; v <= 5; v++) {
                for (int a = 0; a < 1000; a++) {
                    events.add(new ProducerRecord<>(pipeline.source(), ("a" + a).getBytes(StandardCharsets.UTF_8),
                            ("a" + a + ":" + v).getBytes(StandardCharsets.UTF_8)));
                }
            }
            broker.sendAll(events);
            RecordingListener listener = new RecordingListener();
            try (VersionedApi api = VersionedApi.start(Duration.ofMillis(Integer.getInteger("latency", 20)), () -> 200);
                 ResilientHttpClient client = ResilientHttpClient.builder().userAgent(TestClients.USER_AGENT)
                         .preferHttp1().retry(RetryPolicy.standard()).build()) {
                URI uri = api.uri();
                long t0 = System.nanoTime();
                try (ResilientEventProcessor<String, String> p = pipeline.processor(Serdes.String())
                        .maxInFlight(inFlight).listener(listener)
                        .asyncHandler(record -> {
                            String[] u = record.value().split(":");
                            return client.sendAsync(VersionedApi.post(uri, u[0], Integer.parseInt(u[1])),
                                    BodyHandlers.discarding());
                        }).build().start()) {
                    Await.until("all", Duration.ofSeconds(120), () -> listener.handled.size() >= 5000, p::failure);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("RATE inFlight=%d %.0f/s commits=%d ooo=%d%n", inFlight, 5000 / s,
                        listener.commits.get(), api.outOfOrder());
            }
        }
    }
}
