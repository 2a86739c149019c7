package dev.resilienthttp.examples.replay;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.ProcessorListener;
import dev.resilienthttp.kafka.ResilientEventProcessor;
import dev.resilienthttp.kafka.Route;
import dev.resilienthttp.retry.IdempotencyKeys;
import dev.resilienthttp.retry.RetryPolicy;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same service written with resilient-http: a {@link ResilientHttpClient} with {@link RetryPolicy#standard()},
 * unchanged, an {@code Idempotency-Key} derived from the event's identifier (so a POST is safe to re-send), and
 * {@link ResilientEventProcessor}s that consume the source and error topics and route what still fails with its
 * {@code fail_count} and {@code fail_reason}. One client and one policy serve every processor, as in a service.
 */
final class ResilientService implements Pipeline {
    static final String USER_AGENT = "incident-replay/0.1 (ops@example.org)";

    private final String bootstrapServers;
    private final Topics topics;
    private final URI api;
    private final int workers;
    private final Duration retryDelay;
    private final long seed;
    private final Duration pathIdleLimit;
    private final int maxInFlight;
    private final Map<String, AtomicInteger> failedAttempts = new ConcurrentHashMap<>();
    private final AtomicInteger sourceRecordsDone = new AtomicInteger();
    private final List<ResilientEventProcessor<String, GenericRecord>> processors = new CopyOnWriteArrayList<>();
    private RetryPolicy policy;
    private ResilientHttpClient client;
    private AckedProducer producer;

    /**
     * {@code seed}: of the policy's backoff jitter, so that a seed reproduces the replay's draws. {@code pathIdleLimit}:
     * how long the replay's NAT lets a connection idle (its 350 s compressed to milliseconds); the client counts a
     * connection idle half that long as possibly stale.
     */
    ResilientService(String bootstrapServers, Topics topics, URI api, int workers, Duration retryDelay, long seed,
                     Duration pathIdleLimit, int maxInFlight) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.api = api;
        this.workers = workers;
        this.retryDelay = retryDelay;
        this.seed = seed;
        this.pathIdleLimit = pathIdleLimit;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public String description() {
        return "ResilientHttpClient, RetryPolicy.standard() settings unchanged (6 attempts, backoff 250 ms x2 with "
                + "full jitter, Retry-After honoured), Idempotency-Key = event identifier, ResilientEventProcessor on the "
                + "source and error topics, sendAsync with up to " + maxInFlight + " events in flight per worker and one "
                + "per article "
                + "(error topic retried after " + retryDelay.toMillis() + " ms doubling, dead-lettered at fail_count 3 "
                + "or at once when permanent)";
    }

    private String group() {
        return topics.source() + ".resilient-service";
    }

    @Override
    public void start() {
        // RetryPolicy.standard()'s settings, its jitter drawn from the replay's seed.
        policy = RetryPolicy.builder().random(new Random(seed)).build();
        client = ResilientHttpClient.builder()
                .userAgent(USER_AGENT)
                .preferHttp1()
                .staleAfterIdle(pathIdleLimit.dividedBy(2))
                .retry(policy)
                .listener(new HttpEventListener() {
                    @Override
                    public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                              Throwable cause) {
                        failedAttempts.computeIfAbsent(kind.name(), k -> new AtomicInteger()).incrementAndGet();
                    }
                })
                .build();
        // Many enriched records in flight: Kafka's default linger (5 ms) sends them in one request.
        producer = new AckedProducer(bootstrapServers, Duration.ofMillis(5));
        for (int i = 0; i < workers; i++) {
            processors.add(ResilientEventProcessor.builder(Serdes.String(), ArticleEvents.SERDE)
                    .consumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            ConsumerConfig.GROUP_ID_CONFIG, group(),
                            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
                            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, IncidentReplay.HEARTBEAT_MS))
                    .producerConfig(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))
                    .topics(topics.source(), topics.error())
                    .errorTopic(topics.error())
                    .deadLetterTopic(topics.deadLetter())
                    .failureFields(FailureFields.avro(ArticleEvents.SCHEMA))
                    .retryDelay(retryDelay, retryDelay.multipliedBy(8))
                    .pollTimeout(Duration.ofMillis(100))
                    .closeTimeout(Duration.ofSeconds(10))
                    .blockLifted(() -> policy.blockedHosts().isEmpty())
                    .maxInFlight(maxInFlight)
                    .asyncHandler(this::handle)
                    .listener(new ProcessorListener() {
                        @Override
                        public void handled(TopicPartition partition, long offset) {
                            countIfSource(partition);
                        }

                        @Override
                        public void routed(TopicPartition partition, long offset, Route route, String kind,
                                           int failCount) {
                            countIfSource(partition);
                        }
                    })
                    .build()
                    .start());
        }
    }

    @Override
    public void awaitReady(InProcessBroker broker, Duration timeout) throws Exception {
        broker.awaitGroup(group(), workers, Set.of(topics.source(), topics.error()), workers, timeout);
    }

    /** POSTs the article without holding a thread while the API answers, then produces the enriched record. */
    private CompletionStage<Void> handle(ConsumerRecord<String, GenericRecord> record) {
        GenericRecord article = record.value();
        HttpRequest request = IdempotencyKeys.withKey(ArticleRequests.post(api, article),
                ArticleEvents.identifier(article));
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenCompose(response -> producer.sendAsync(topics.enriched(), article));
    }

    private void countIfSource(TopicPartition partition) {
        if (partition.topic().equals(topics.source())) {
            sourceRecordsDone.incrementAndGet();
        }
    }

    @Override
    public int sourceRecordsDone() {
        return sourceRecordsDone.get();
    }

    @Override
    public Optional<Throwable> failure() {
        return processors.stream().map(ResilientEventProcessor::failure).flatMap(Optional::stream).findFirst();
    }

    @Override
    public Map<String, Integer> failedAttempts() {
        Map<String, Integer> counts = new TreeMap<>();
        failedAttempts.forEach((kind, n) -> counts.put(kind, n.get()));
        return counts;
    }

    @Override
    public void close() {
        processors.forEach(ResilientEventProcessor::close);
        if (client != null) {
            client.close();
        }
        if (producer != null) {
            producer.close();
        }
    }
}
