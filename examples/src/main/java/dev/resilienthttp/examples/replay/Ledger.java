package dev.resilienthttp.examples.replay;

import dev.resilienthttp.kafka.FailureHeaders;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where each event of a run ended, read from Kafka alone: the enriched, error and dead-letter topics, from their
 * beginning, with a consumer of no group. An event is
 * <ul>
 *   <li><b>succeeded</b> once its enriched article is in the enriched topic;</li>
 *   <li>otherwise <b>dead-lettered</b> once a copy of it is in the dead-letter topic;</li>
 *   <li>otherwise <b>in the error topic</b> while a copy of it waits there for another pass;</li>
 *   <li>otherwise <b>lost</b>: in none of them (at the end of a run: still unprocessed, or gone).</li>
 * </ul>
 * So {@code succeeded + error topic + dead-lettered + lost} is the number of events, by construction, and "lost" is
 * what the replay must show to be 0.
 *
 * <p>An event's first pass is done when the pipeline writes its first record for it to one of the three topics: the
 * earliest of them, by the records' Kafka timestamps (set by the producer when the pipeline sends the record), is
 * when. Not thread-safe: one thread polls it.
 */
final class Ledger implements AutoCloseable {
    /**
     * A copy of an event in the error or dead-letter topic.
     *
     * @param kind      the failure's kind: the processor's {@code rh-fail-kind} header, or else read from the reason
     * @param failCount the copy's {@code event.fail_count}
     * @param reason    the copy's {@code event.fail_reason}
     */
    record FailedCopy(String kind, int failCount, String reason) {
    }

    /** Where the events are now. */
    record Counts(int succeeded, int errorTopic, int deadLetter, int lost) {
        int finished() {
            return succeeded + deadLetter;
        }
    }

    private final Topics topics;
    private final Map<String, String> articles;
    private final Set<String> identifiers;
    private final KafkaConsumer<String, GenericRecord> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Set<String> enriched = new HashSet<>();
    private final Map<String, FailedCopy> deadLettered = new HashMap<>();
    private final Set<String> errorTopic = new HashSet<>();
    private final Map<String, FailedCopy> errorSamples = new TreeMap<>();
    private final Map<String, FailedCopy> deadLetterSamples = new TreeMap<>();
    /** Each event's first pass: the earliest timestamp of a record the pipeline wrote for it, epoch milliseconds. */
    private final Map<String, Long> firstPassDone = new HashMap<>();
    private int errorCopies;

    /** {@code articles}: each event's article id by the event's identifier. */
    Ledger(String bootstrapServers, Topics topics, Map<String, String> articles) {
        this.topics = topics;
        this.articles = Map.copyOf(articles);
        this.identifiers = this.articles.keySet();
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), ArticleEvents.SERDE.deserializer());
        for (String topic : List.of(topics.enriched(), topics.error(), topics.deadLetter())) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived, waiting up to {@code timeout} for something. */
    void poll(Duration timeout) {
        for (ConsumerRecord<String, GenericRecord> record : consumer.poll(timeout)) {
            take(record);
        }
    }

    /** Reads every topic to the end it has now, or until {@code timeout}. */
    void drain(Duration timeout) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())
                && System.nanoTime() - deadline < 0) {
            poll(Duration.ofMillis(100));
        }
    }

    private void take(ConsumerRecord<String, GenericRecord> record) {
        GenericRecord article = record.value();
        String id = ArticleEvents.identifier(article);
        if (!identifiers.contains(id)) {
            return;
        }
        firstPassDone.merge(id, record.timestamp(), Long::min);
        if (record.topic().equals(topics.enriched())) {
            enriched.add(id);
            return;
        }
        String reason = ArticleEvents.failReason(article);
        Header kindHeader = record.headers().lastHeader(FailureHeaders.KIND);
        String kind = kindHeader != null ? new String(kindHeader.value(), StandardCharsets.UTF_8)
                : ReasonKinds.kindOf(reason);
        FailedCopy copy = new FailedCopy(kind, ArticleEvents.failCount(article), reason);
        if (record.topic().equals(topics.error())) {
            errorCopies++;
            errorTopic.add(id);
            errorSamples.putIfAbsent(kind, copy);
        } else {
            deadLettered.put(id, copy);
            deadLetterSamples.putIfAbsent(kind, copy);
        }
    }

    Counts counts() {
        int succeeded = enriched.size();
        int dead = (int) deadLettered.keySet().stream().filter(id -> !enriched.contains(id)).count();
        int waiting = (int) errorTopic.stream()
                .filter(id -> !enriched.contains(id) && !deadLettered.containsKey(id)).count();
        return new Counts(succeeded, waiting, dead, identifiers.size() - succeeded - dead - waiting);
    }

    /** Whether every event has succeeded or been dead-lettered: nothing is left to do. */
    boolean settled() {
        return counts().finished() == identifiers.size();
    }

    /** Dead-lettered events (not also succeeded) by kind. */
    Map<String, Integer> deadLetterKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        deadLettered.forEach((id, copy) -> {
            if (!enriched.contains(id)) {
                kinds.merge(copy.kind(), 1, Integer::sum);
            }
        });
        return kinds;
    }

    /** Events whose first pass is done: succeeded, or routed to the error or dead-letter topic at least once. */
    int firstPassesDone() {
        return firstPassDone.size();
    }

    /** When the last event's first pass was done; empty when none was. */
    Optional<Instant> lastFirstPassDone() {
        return firstPassDone.values().stream().max(Long::compare).map(Instant::ofEpochMilli);
    }

    /** Copies routed to the error topic: failed passes that were to be tried again. */
    int errorCopies() {
        return errorCopies;
    }

    /** The first dead-letter copy of each kind. */
    Map<String, FailedCopy> deadLetterSamples() {
        return new LinkedHashMap<>(deadLetterSamples);
    }

    /** The first error-topic copy of each kind. */
    Map<String, FailedCopy> errorSamples() {
        return new LinkedHashMap<>(errorSamples);
    }

    /** The article ids of up to {@code limit} events found in no topic, for a run that did not settle. */
    List<String> missing(int limit) {
        return identifiers.stream().filter(id -> !enriched.contains(id) && !deadLettered.containsKey(id)
                && !errorTopic.contains(id)).map(articles::get).sorted().limit(limit).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
