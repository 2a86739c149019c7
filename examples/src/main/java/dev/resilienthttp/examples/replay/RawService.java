package dev.resilienthttp.examples.replay;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The original service, as the incident ran it: one shared {@code java.net.http.HttpClient} (HTTP/1.1, default
 * settings) and one attempt per event. Written as plain consumer loops, not with the kafka-adapter's processor, so
 * that nothing of resilient-http helps this run (the Avro serde it borrows is plain binary Avro).
 *
 * <ul>
 *   <li>Source workers POST each event; on a 2xx they produce the enriched article, on anything else (a status or
 *       an exception) they produce the event to the error topic with {@code fail_count} 1 and {@code fail_reason}
 *       the failure's text. They commit after each batch, once everything produced for it is acknowledged.</li>
 *   <li>Retry workers process the error topic once more the same way, each record once it is
 *       {@code retryDelay} old; a second failure goes to the dead-letter topic with {@code fail_count} 2.</li>
 * </ul>
 */
final class RawService implements Pipeline {
    /** The incident's rule: the second failure of an event dead-letters it. */
    private static final int MAX_FAIL_COUNT = 2;

    private final String bootstrapServers;
    private final Topics topics;
    private final URI api;
    private final int workers;
    private final Duration retryDelay;
    private final Map<String, AtomicInteger> failedAttempts = new ConcurrentHashMap<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Set<KafkaConsumer<?, ?>> consumers = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger sourceRecordsDone = new AtomicInteger();
    private volatile boolean running = true;
    private HttpClient client;
    private AckedProducer producer;

    RawService(String bootstrapServers, Topics topics, URI api, int workers, Duration retryDelay) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.api = api;
        this.workers = workers;
        this.retryDelay = retryDelay;
    }

    @Override
    public String description() {
        return "java.net.http.HttpClient, HTTP/1.1, default settings, one attempt per event; "
                + "error topic retried once after " + retryDelay.toMillis() + " ms, then dead-lettered";
    }

    private String sourceGroup() {
        return topics.source() + ".raw-service";
    }

    private String retryGroup() {
        return topics.error() + ".raw-service";
    }

    @Override
    public void start() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        producer = new AckedProducer(bootstrapServers);
        for (int i = 1; i <= workers; i++) {
            startWorker("raw-service-source-" + i, topics.source(), sourceGroup(), false);
            startWorker("raw-service-retry-" + i, topics.error(), retryGroup(), true);
        }
    }

    @Override
    public void awaitReady(InProcessBroker broker, Duration timeout) throws Exception {
        broker.awaitGroup(sourceGroup(), workers, Set.of(topics.source()), workers, timeout);
        broker.awaitGroup(retryGroup(), workers, Set.of(topics.error()), workers, timeout);
    }

    private void startWorker(String name, String topic, String group, boolean retryPass) {
        KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, IncidentReplay.HEARTBEAT_MS),
                new StringDeserializer(), ArticleEvents.SERDE.deserializer());
        consumers.add(consumer);
        Thread thread = new Thread(() -> work(consumer, topic, retryPass), name);
        threads.add(thread);
        thread.start();
    }

    private void work(KafkaConsumer<String, GenericRecord> consumer, String topic, boolean retryPass) {
        try (consumer) {
            consumer.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, GenericRecord> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, GenericRecord> record : records) {
                    if (retryPass && !waitUntil(record.timestamp() + retryDelay.toMillis())) {
                        return;
                    }
                    handle(record.value());
                    if (!retryPass) {
                        sourceRecordsDone.incrementAndGet();
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            // close(): what was not committed is processed again by the next consumer, as in any Kafka service.
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Waits until {@code epochMillis}; false if the service is stopping. */
    private boolean waitUntil(long epochMillis) throws InterruptedException {
        while (running) {
            long left = epochMillis - System.currentTimeMillis();
            if (left <= 0) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(left, 50));
        }
        return false;
    }

    private void handle(GenericRecord article) throws InterruptedException {
        String failure = post(article);
        if (failure == null) {
            producer.send(topics.enriched(), article);
            return;
        }
        failedAttempts.computeIfAbsent(ReasonKinds.kindOf(failure), k -> new AtomicInteger()).incrementAndGet();
        int failCount = ArticleEvents.failCount(article) + 1;
        String target = failCount >= MAX_FAIL_COUNT ? topics.deadLetter() : topics.error();
        producer.send(target, ArticleEvents.withFailure(article, failCount, failure));
    }

    /** One attempt; null on a 2xx, otherwise the failure as the service logs it. */
    private String post(GenericRecord article) throws InterruptedException {
        HttpRequest request = ArticleRequests.post(api, article);
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? null
                    : "POST \"" + request.uri() + "\": HTTP " + response.statusCode();
        } catch (IOException e) {
            return "POST \"" + request.uri() + "\": " + withCauses(e);
        }
    }

    /**
     * The exception and its causes, as a service that logs {@code e} with its causes shows them (the JDK wraps its
     * own exception in a copy of itself: the copy is left out).
     */
    private static String withCauses(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        String last = e.toString();
        for (Throwable cause = e.getCause(); cause != null; cause = cause == cause.getCause() ? null : cause.getCause()) {
            if (!cause.toString().equals(last)) {
                text.append(": ").append(cause);
            }
            last = cause.toString();
        }
        return text.toString();
    }

    @Override
    public int sourceRecordsDone() {
        return sourceRecordsDone.get();
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public Map<String, Integer> failedAttempts() {
        Map<String, Integer> counts = new TreeMap<>();
        failedAttempts.forEach((kind, n) -> counts.put(kind, n.get()));
        return counts;
    }

    @Override
    public void close() {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        try {
            List<Thread> stuck = new ArrayList<>();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
                if (thread.isAlive()) {
                    thread.interrupt();
                    stuck.add(thread);
                }
            }
            for (Thread thread : stuck) {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close();
        }
        // JDK 21+ can close an HttpClient; on 17 its pooled sockets end when the proxy closes them.
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the JDK HttpClient", e);
            }
        }
    }
}
