package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.internal.Backoff;
import dev.resilienthttp.core.ClientClosedException;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** One record's pass, without Kafka: the step the loop is told to take, and the copy it would produce. */
class RecordProcessorTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void aRecordNotYetDueSaysWhenItIsDue() {
        RecordHeaders headers = new RecordHeaders();
        HeaderValues.putText(headers, FailureHeaders.NOT_BEFORE, NOW.plusSeconds(1).toString());
        assertThat(processor().notYetDue(record("v", headers))).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void aRecordDueNowMayRun() {
        RecordHeaders headers = new RecordHeaders();
        HeaderValues.putText(headers, FailureHeaders.NOT_BEFORE, NOW.toString());
        assertThat(processor().notYetDue(record("v", headers))).isNull();
        assertThat(pass(null, record("v", headers)).kind).isEqualTo(Step.Kind.DONE);
    }

    @Test
    void aTransientFailureIsRoutedToTheErrorTopicWithAnIncreasedCountAndADueTime() {
        Step step = pass(failure(FailureKind.SERVER_ERROR, 1), record("v", new RecordHeaders()));
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
    void aCallRefusedBeforeAnyAttemptIsHeldNotRouted() {
        Step step = pass(failure(FailureKind.CIRCUIT_OPEN, 0), record("v", new RecordHeaders()));
        assertThat(step.kind).isEqualTo(Step.Kind.HOLD);
        assertThat(step.copy).isNull();
        assertThat(step.reason).startsWith("CIRCUIT_OPEN");
    }

    @Test
    void aPassThatMadeRealAttemptsCountsWhateverItsFinalKind() {
        RecordHeaders headers = new RecordHeaders();
        HeaderValues.putText(headers, FailureHeaders.FAIL_COUNT, "2");
        Step step = pass(failure(FailureKind.DEADLINE_EXCEEDED, 1), record("v", headers));
        assertThat(step.copy.route()).as("the third counted pass of 3").isEqualTo(Route.DEAD_LETTER_TOPIC);
        assertThat(HeaderValues.text(step.copy.record().headers(), FailureHeaders.FAIL_COUNT)).isEqualTo("3");
    }

    @Test
    void aRecordHeldItsLongestGoesToTheErrorTopicUncountedWithAReasonThatSaysSo() {
        RecordHeaders headers = new RecordHeaders();
        HeaderValues.putText(headers, FailureHeaders.FAIL_COUNT, "1");
        HeaderValues.putText(headers, FailureHeaders.PASSES, "3");
        Step step = pass(failure(FailureKind.CIRCUIT_OPEN, 0), record("v", headers), false);
        Headers routed = step.copy.record().headers();
        assertThat(step.copy.route()).isEqualTo(Route.ERROR_TOPIC);
        assertThat(HeaderValues.text(routed, FailureHeaders.FAIL_COUNT)).isEqualTo("1");
        assertThat(HeaderValues.text(routed, FailureHeaders.PASSES)).isEqualTo("4");
        assertThat(HeaderValues.text(routed, FailureHeaders.FAIL_REASON))
                .startsWith("held for maxHold 1 s without a call getting through: CIRCUIT_OPEN");
        assertThat(HeaderValues.text(routed, FailureHeaders.NOT_BEFORE)).as("10 s × 2^(4−1), capped at 60 s")
                .isEqualTo(NOW.plusSeconds(60).toString());
    }

    @Test
    void theLastPassAllowedGoesToTheDeadLetterTopicNamingTheLimit() {
        RecordHeaders headers = new RecordHeaders();
        HeaderValues.putText(headers, FailureHeaders.PASSES, "4");
        Step step = pass(failure(FailureKind.CIRCUIT_OPEN, 0), record("v", headers), false);
        assertThat(step.copy.route()).isEqualTo(Route.DEAD_LETTER_TOPIC);
        assertThat(HeaderValues.text(step.copy.record().headers(), FailureHeaders.FAIL_REASON))
                .startsWith("maxPasses 5 reached (5 failed passes, fail_count 0): held for maxHold");
    }

    @Test
    void aBlockedHostPausesWithoutAnyCopy() {
        Step step = pass(failure(FailureKind.BLOCKED, 1), record("v", new RecordHeaders()));
        assertThat(step.kind).isEqualTo(Step.Kind.PAUSE);
        assertThat(step.copy).isNull();
        assertThat(step.reason).startsWith("BLOCKED");
    }

    @Test
    void aClosedClientStopsTheProcessorInsteadOfDeadLetteringTheEvent() {
        Step step = pass(new ClientClosedException("the ResilientHttpClient is closed"), record("v", new RecordHeaders()));
        assertThat(step.kind).isEqualTo(Step.Kind.STOP);
        assertThat(step.error).isInstanceOf(ClientClosedException.class);
    }

    @Test
    void anInterruptedOrCancelledHandlerLeavesItsRecordNotDoneWhileTheProcessorCloses() {
        assertThat(closing(new InterruptedException()).kind).isEqualTo(Step.Kind.NOT_DONE);
        assertThat(closing(new CompletionException(new CancellationException())).kind).isEqualTo(Step.Kind.NOT_DONE);
    }

    @Test
    void aCancellationOrInterruptThatDidNotComeFromACloseIsAHandlerErrorThatCounts() {
        for (Throwable error : List.of(new InterruptedException(),
                new CompletionException(new CancellationException()))) {
            Step step = pass(error, record("v", new RecordHeaders()));
            assertThat(step.kind).as("%s", error).isEqualTo(Step.Kind.ROUTE);
            assertThat(step.copy.route()).isEqualTo(Route.DEAD_LETTER_TOPIC);
            assertThat(step.copy.kind()).isEqualTo(FailureHeaders.KIND_HANDLER_ERROR);
            assertThat(step.copy.failCount()).isEqualTo(1);
            assertThat(HeaderValues.text(step.copy.record().headers(), FailureHeaders.PASSES)).isEqualTo("1");
        }
    }

    @Test
    void anyOtherExceptionDeadLettersTheEventAsAHandlerError() {
        Step step = pass(new CompletionException(new IllegalArgumentException("no title")),
                record("v", new RecordHeaders()));
        assertThat(step.copy.route()).isEqualTo(Route.DEAD_LETTER_TOPIC);
        assertThat(step.copy.kind()).isEqualTo(FailureHeaders.KIND_HANDLER_ERROR);
    }

    @Test
    void anUndeserializableKeyIsDeadLetteredAsItWas() {
        ProcessorSettings<Integer, String> settings = settings(Serdes.Integer());
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>("t", 0, 9, 1L, TimestampType.CREATE_TIME, 3, 1,
                new byte[]{1, 2, 3}, "v".getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty());
        Step step = new RecordProcessor<>(settings).decode(new Work(raw));
        assertThat(step.copy.route()).isEqualTo(Route.DEAD_LETTER_TOPIC);
        assertThat(step.copy.record().key()).isEqualTo(new byte[]{1, 2, 3});
        assertThat(HeaderValues.text(step.copy.record().headers(), FailureHeaders.FAIL_REASON))
                .startsWith("UNDESERIALIZABLE: cannot deserialize the key of t-0@9");
    }

    /** Decodes the record, then says what follows a handler that ended with {@code error}. */
    private static Step pass(Throwable error, ConsumerRecord<byte[], byte[]> raw) {
        return pass(error, raw, true);
    }

    private static Step pass(Throwable error, ConsumerRecord<byte[], byte[]> raw, boolean mayHold) {
        return pass(error, raw, mayHold, false);
    }

    /** What follows a handler that ended with {@code error} while the processor closes. */
    private static Step closing(Throwable error) {
        return pass(error, record("v", new RecordHeaders()), true, true);
    }

    private static Step pass(Throwable error, ConsumerRecord<byte[], byte[]> raw, boolean mayHold, boolean closing) {
        RecordProcessor<String, String> processor = processor();
        Work work = new Work(raw);
        assertThat(processor.decode(work)).isNull();
        return processor.after(work, error, mayHold, closing);
    }

    private static RecordProcessor<String, String> processor() {
        return new RecordProcessor<>(settings(Serdes.String()));
    }

    /** maxFailCount 3, maxPasses 5, maxHold 1 s, error-topic delays 10 s doubling to 60 s, exactly. */
    private static <K> ProcessorSettings<K, String> settings(org.apache.kafka.common.serialization.Serde<K> keys) {
        return new ProcessorSettings<>(Map.of(), Map.of(), List.of("t"), "t-error", "t-dlt", keys, Serdes.String(),
                () -> Handlers.async(record -> null), 4, FailureFields.headers(), 3, 5,
                exact(Duration.ofSeconds(10), Duration.ofSeconds(60)), exact(Duration.ofMillis(1), Duration.ofMillis(2)),
                exact(Duration.ofMillis(1), Duration.ofMillis(2)), Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofSeconds(1), () -> false, CLOCK,
                new ProcessorListener() { });
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

    /** A call that ended with {@code kind} after {@code attempts} attempts, each failed with it. */
    private static HttpFailureException failure(FailureKind kind, int attempts) {
        List<FailureReport.Attempt> timeline = new java.util.ArrayList<>();
        for (int n = 1; n <= attempts; n++) {
            timeline.add(new FailureReport.Attempt(n, kind, Outcome.MAYBE_PROCESSED, 0, "java.io.IOException", "x",
                    Duration.ZERO, Duration.ofMillis(1)));
        }
        return new HttpFailureException(new FailureReport("POST", "http://api/x", NOW, Duration.ZERO, timeline,
                kind, "test"), null, null);
    }
}
