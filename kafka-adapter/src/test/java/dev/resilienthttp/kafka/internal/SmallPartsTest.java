package dev.resilienthttp.kafka.internal;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small pure parts: offsets progress, client settings, the Avro serde and the redrive filter. */
class SmallPartsTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);

    @Test
    void theCommittableOffsetNeverPassesARecordNotDoneWhateverOrderRecordsFinishIn() {
        PartitionProgress progress = new PartitionProgress();
        for (long offset = 5; offset <= 8; offset++) {
            progress.taken(P0, offset);
        }
        assertThat(progress.uncommitted(Set.of(P0))).as("nothing done").containsEntry(P0, new OffsetAndMetadata(5));
        progress.done(P0, 7);
        progress.done(P0, 6);
        assertThat(progress.uncommitted(Set.of(P0))).as("5 still runs").containsEntry(P0, new OffsetAndMetadata(5));
        progress.done(P0, 5);
        Map<TopicPartition, OffsetAndMetadata> first = progress.uncommitted(Set.of(P0));
        assertThat(first).containsEntry(P0, new OffsetAndMetadata(8));
        progress.committed(first);
        assertThat(progress.uncommitted(Set.of(P0))).as("committed already").isEmpty();
        progress.done(P0, 8);
        assertThat(progress.uncommitted(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(9));
        assertThat(progress.notDone()).isZero();
        progress.forget(Set.of(P0));
        assertThat(progress.uncommitted(Set.of(P0))).isEmpty();
    }

    @Test
    void clientSettingsThatWouldLoseRecordsAreRefused() {
        Map<String, Object> base = Map.of("bootstrap.servers", "b:9092", "group.id", "g");
        assertThat(ClientConfigs.consumer(base)).containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest");
        assertThatThrownBy(() -> ClientConfigs.consumer(Map.of("bootstrap.servers", "b:9092", "group.id", "g",
                "enable.auto.commit", "true"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("commits by itself");
        assertThatThrownBy(() -> ClientConfigs.consumer(Map.of("bootstrap.servers", "b:9092")))
                .hasMessageContaining("group.id");
        Map<String, Object> consumer = ClientConfigs.consumer(base);
        assertThat(ClientConfigs.producer(Map.of(), consumer)).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true).containsEntry("bootstrap.servers", "b:9092");
        assertThatThrownBy(() -> ClientConfigs.producer(Map.of("acks", "1"), consumer))
                .hasMessageContaining("acks=1");
        assertThatThrownBy(() -> ClientConfigs.producer(Map.of("enable.idempotence", false), consumer))
                .hasMessageContaining("enable.idempotence=false");
        assertThat(ClientConfigs.deliveryTimeout(Map.of("delivery.timeout.ms", "3000"), Duration.ZERO))
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theBrokersAreAskedAboutPartitionsAsTheRoutingProducerReachesThemAndForAsLongAsASendMayBlock() {
        Map<String, Object> producer = Map.of("bootstrap.servers", "b:9093", "security.protocol", "SSL",
                "acks", "all", "linger.ms", 0, "max.block.ms", 1500);
        assertThat(ClientConfigs.admin(producer)).containsOnly(Map.entry("bootstrap.servers", "b:9093"),
                Map.entry("security.protocol", "SSL"));
        assertThat(ClientConfigs.maxBlock(producer)).isEqualTo(Duration.ofMillis(1500));
        assertThat(ClientConfigs.maxBlock(Map.of())).as("kafka-clients' default").isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theAvroSerdeRoundTripsAndRefusesBytesThatAreNotTheSchema() {
        GenericRecordSerde serde = new GenericRecordSerde(TestSchemas.ARTICLE);
        GenericRecord article = TestSchemas.article("a-1", 2);
        byte[] bytes = serde.serializer().serialize("t", article);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(article);
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("bytes left over");
        assertThatThrownBy(() -> serde.deserializer().deserialize("t",
                "{\"json\":1}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(SerializationException.class)
                .hasMessageContaining("not a binary Avro dev.resilienthttp.kafka.test.ArticleUpdate");
    }

    @Test
    void theRedriveFilterMatchesKindsAndReasonsIgnoringCase() {
        RecordHeaders notFound = new RecordHeaders();
        HeaderValues.putText(notFound, "rh-fail-kind", "CLIENT_ERROR");
        HeaderValues.putText(notFound, "kafka_dlt-exception-message", "CLIENT_ERROR after 1 attempt: HTTP 404");
        assertThat(new RedriveFilter(Set.of(), "").matches(notFound)).isTrue();
        assertThat(new RedriveFilter(Set.of("CLIENT_ERROR"), "http 404").matches(notFound)).isTrue();
        assertThat(new RedriveFilter(Set.of("FORBIDDEN"), "").matches(notFound)).isFalse();
        assertThat(new RedriveFilter(Set.of(), "HTTP 410").matches(notFound)).isFalse();
        assertThat(new RedriveFilter(Set.of("CLIENT_ERROR"), "").matches(new RecordHeaders())).isFalse();
    }

    @Test
    void theRedriveCommandLineReadsKafkasSpellingAndExplainsMistakes() {
        RedriveArguments.Parsed parsed = RedriveArguments.parse(new String[]{"--bootstrap-server", "b:9092", "--from",
                "dlt", "--kind", "CLIENT_ERROR,FORBIDDEN", "--kind", "IO_ERROR", "--rate", "20", "--limit", "5",
                "--dry-run"});
        assertThat(parsed.from()).isEqualTo("dlt");
        assertThat(parsed.kinds()).containsExactly("CLIENT_ERROR", "FORBIDDEN", "IO_ERROR");
        assertThat(parsed.rate()).isEqualTo(20.0);
        assertThat(parsed.limit()).isEqualTo(5L);
        assertThat(parsed.dryRun()).isTrue();
        assertThat(parsed.clientConfig()).containsEntry("bootstrap.servers", "b:9092");
        assertThatThrownBy(() -> RedriveArguments.parse(new String[]{"--bootstrap-server", "b:9092"}))
                .hasMessage("--from is required");
        assertThatThrownBy(() -> RedriveArguments.parse(new String[]{"--from", "dlt", "--rate", "fast",
                "--bootstrap-server", "b"})).hasMessage("--rate needs a number, got 'fast'");
        assertThatThrownBy(() -> RedriveArguments.parse(new String[]{"--from"})).hasMessage("--from needs a value");
        assertThatThrownBy(() -> RedriveArguments.parse(new String[]{"--frm", "x"}))
                .hasMessage("unknown argument: --frm");
    }

    @Test
    void theFinalCommitHasHalfOfCloseTimeoutAndOfWhatIsLeftWhateverTheMaxPollIntervalIs() {
        // With max.poll.interval.ms at 1 s, every commit while consuming gets 250 ms; not the final one.
        assertThat(ProcessorLoop.finalCommitTimeout(Duration.ofSeconds(30), Duration.ofSeconds(56)))
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(ProcessorLoop.finalCommitTimeout(Duration.ofSeconds(30), Duration.ofSeconds(20)))
                .as("after a long wait for the runs, half of what is left: the clients' close has the rest")
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(ProcessorLoop.finalCommitTimeout(Duration.ofSeconds(1), Duration.ZERO)).isEqualTo(Duration.ZERO);
    }
}
