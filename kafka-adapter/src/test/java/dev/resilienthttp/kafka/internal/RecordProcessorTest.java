package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.kafka.EventHandler;
import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.FailureHeaders;
import dev.resilienthttp.kafka.ProcessorListener;
import dev.resilienthttp.kafka.Route;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** One record's pass, without Kafka: the step the loop is told to take, and the copy it would produce. */
class RecordProcessorTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void aRecordNotYetDueIsNotHandled() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        RecordHeaders headers = new RecordHeaders();
        HeaderValues.putText(headers, FailureHeaders.NOT_BEFORE, NOW.plusSeconds(1).toString());
        Step step = processor(record -> calls.incrementAndGet()).process(record("v", headers));
        assertThat(step.kind).isEqualTo(Step.Kind.NOT_DUE);
        assertThat(step.notBefore).isEqualTo(NOW.plusSeconds(1));
        assertThat(calls).hasValue(0);
    }

    @Test
    void aRecordDueNowIsHandled() throws InterruptedException {
        RecordHeaders headers = new RecordHeaders();
        HeaderValues.putText(headers, FailureHeaders.NOT_BEFORE, NOW.toString());
        assertThat(processor(record -> { }).process(record("v", headers)).kind).isEqualTo(Step.Kind.DONE);
    }

    @Test
    void aTransientFailureIsRoutedToTheErrorTopicWithAnIncreasedCountAndADueTime() throws InterruptedException {
        Step step = processor(record -> {
            throw failure(FailureKind.SERVER_ERROR);
        }).process(record("v", new RecordHeaders()));
        assertThat(step.kind).isEqualTo(Step.Kind.ROUTE);
        assertThat(step.copy.route()).isEqualTo(Route.ERROR_TOPIC);
        assertThat(step.copy.record().topic()).isEqualTo("t-error");
        assertThat(step.copy.record().partition()).isEqualTo(3);
        assertThat(step.copy.record().key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(step.copy.record().value()).as("headers mode routes the value byte for byte")
                .isEqualTo("v".getBytes(StandardCharsets.UTF_8));
        assertThat(step.copy.record().timestamp()).as("the routing time, set by the producer").isNull();
        Headers headers = step.copy.record().headers();
        assertThat(HeaderValues.text(headers, FailureHeaders.FAIL_COUNT)).isEqualTo("1");
        assertThat(HeaderValues.text(headers, FailureHeaders.NOT_BEFORE)).isEqualTo(NOW.plusSeconds(10).toString());
    }

    @Test
    void passesRefusedByALocalProtectionAreNotCountedButStillPushTheDueTimeBack() throws InterruptedException {
        RecordHeaders headers = new RecordHeaders();
        HeaderValues.putText(headers, FailureHeaders.FAIL_COUNT, "1");
        HeaderValues.putText(headers, FailureHeaders.PASSES, "3");
        Step step = processor(record -> {
            throw failure(FailureKind.CIRCUIT_OPEN);
        }).process(record("v", headers));
        Headers routed = step.copy.record().headers();
        assertThat(HeaderValues.text(routed, FailureHeaders.FAIL_COUNT)).isEqualTo("1");
        assertThat(HeaderValues.text(routed, FailureHeaders.PASSES)).isEqualTo("4");
        assertThat(HeaderValues.text(routed, FailureHeaders.NOT_BEFORE)).as("10 s × 2^(4−1), capped at 60 s")
                .isEqualTo(NOW.plusSeconds(60).toString());
    }

    @Test
    void aBlockedHostPausesWithoutAnyCopy() throws InterruptedException {
        Step step = processor(record -> {
            throw failure(FailureKind.BLOCKED);
        }).process(record("v", new RecordHeaders()));
        assertThat(step.kind).isEqualTo(Step.Kind.PAUSE);
        assertThat(step.copy).isNull();
        assertThat(step.reason).startsWith("BLOCKED");
    }

    @Test
    void anUndeserializableKeyIsDeadLetteredAsItWas() throws InterruptedException {
        ProcessorSettings<Integer, String> settings = settings(Serdes.Integer(), record -> { });
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>("t", 0, 9, 1L, TimestampType.CREATE_TIME, 3, 1,
                new byte[]{1, 2, 3}, "v".getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty());
        Step step = new RecordProcessor<>(settings).process(raw);
        assertThat(step.copy.route()).isEqualTo(Route.DEAD_LETTER_TOPIC);
        assertThat(step.copy.record().key()).isEqualTo(new byte[]{1, 2, 3});
        assertThat(HeaderValues.text(step.copy.record().headers(), FailureHeaders.FAIL_REASON))
                .startsWith("UNDESERIALIZABLE: cannot deserialize the key of t-0@9");
    }

    private static RecordProcessor<String, String> processor(EventHandler<String, String> handler) {
        return new RecordProcessor<>(settings(Serdes.String(), handler));
    }

    private static <K> ProcessorSettings<K, String> settings(org.apache.kafka.common.serialization.Serde<K> keys,
                                                             EventHandler<K, String> handler) {
        return new ProcessorSettings<>(Map.of(), Map.of(), List.of("t"), "t-error", "t-dlt", keys, Serdes.String(),
                handler, FailureFields.headers(), 3, exact(Duration.ofSeconds(10), Duration.ofSeconds(60)),
                exact(Duration.ofMillis(1), Duration.ofMillis(2)), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(10), Duration.ofSeconds(1), () -> false, CLOCK, new ProcessorListener() { });
    }

    /** The library's backoff without its spread, so that a due time can be asserted exactly. */
    private static Backoff exact(Duration base, Duration cap) {
        return new Backoff(base, 2.0, cap, Backoff.Spread.NONE, java.util.concurrent.ThreadLocalRandom::current);
    }

    private static ConsumerRecord<byte[], byte[]> record(String value, Headers headers) {
        return new ConsumerRecord<>("t", 3, 7, 1L, TimestampType.CREATE_TIME, 1, value.length(),
                "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), headers,
                Optional.empty());
    }

    private static HttpFailureException failure(FailureKind kind) {
        return new HttpFailureException(new FailureReport("POST", "http://api/x", NOW, Duration.ZERO, List.of(),
                kind, "test"), null, null);
    }
}
