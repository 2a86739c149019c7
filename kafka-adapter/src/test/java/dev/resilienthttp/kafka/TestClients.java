package dev.resilienthttp.kafka;

import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.retry.IdempotencyKeys;
import dev.resilienthttp.retry.RetryPolicy;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;

/** HTTP clients and the handler's call, as a service using the adapter would write them. */
final class TestClients {
    static final String USER_AGENT = "kafka-adapter-tests/1.0 (ops@example.org)";

    private TestClients() {
    }

    /**
     * The standard policy's decisions with backoff steps of 5 ms doubling to 50 ms instead of 250 ms to 30 s, so that
     * a pass that exhausts its 6 attempts takes a fraction of a second.
     */
    static ResilientHttpClient shortBackoff() {
        return ResilientHttpClient.builder().userAgent(USER_AGENT).preferHttp1()
                .retry(RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                        .random(new Random(42)).build()).build();
    }

    /** POSTs the article to {@code api}/{key}, keyed by the event's identifier; a failure is thrown as it is. */
    static void post(ResilientHttpClient client, URI api, ConsumerRecord<String, GenericRecord> record)
            throws HttpFailureException, InterruptedException {
        HttpRequest request = IdempotencyKeys.withKey(HttpRequest.newBuilder(api.resolve(record.key()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"article\":\"" + record.key() + "\"}")).build(),
                ArticleEvents.identifier(record.value()));
        try {
            client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpFailureException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("send throws no other IOException", e);
        }
    }
}
