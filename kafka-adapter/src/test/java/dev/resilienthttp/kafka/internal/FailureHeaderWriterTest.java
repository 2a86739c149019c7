package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.kafka.FailureHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FailureHeaderWriterTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Failure RESET = new Failure("CONNECTION_RESET", Outcome.MAYBE_PROCESSED, 6,
            "dev.resilienthttp.core.HttpFailureException", "CONNECTION_RESET after 6 attempts");

    @Test
    void theFirstRoutingWritesSpringsHeadersOursAndTheRecordAsOrigin() {
        Headers headers = FailureHeaderWriter.headers(record("articles", 2, 17, new RecordHeaders()), RESET, NOW,
                NOW.plusSeconds(60));
        assertThat(HeaderValues.text(headers, FailureHeaders.ORIGINAL_TOPIC)).isEqualTo("articles");
        assertThat(HeaderValues.int32(headers, FailureHeaders.ORIGINAL_PARTITION)).isEqualTo(2);
        assertThat(HeaderValues.int64(headers, FailureHeaders.ORIGINAL_OFFSET)).isEqualTo(17L);
        assertThat(HeaderValues.int64(headers, FailureHeaders.ORIGINAL_TIMESTAMP)).isEqualTo(1_000L);
        assertThat(HeaderValues.text(headers, FailureHeaders.EXCEPTION_FQCN))
                .isEqualTo("dev.resilienthttp.core.HttpFailureException");
        assertThat(HeaderValues.text(headers, FailureHeaders.EXCEPTION_MESSAGE))
                .isEqualTo("CONNECTION_RESET after 6 attempts");
        assertThat(HeaderValues.text(headers, FailureHeaders.KIND)).isEqualTo("CONNECTION_RESET");
        assertThat(HeaderValues.text(headers, FailureHeaders.OUTCOME)).isEqualTo("MAYBE_PROCESSED");
        assertThat(HeaderValues.text(headers, FailureHeaders.ATTEMPTS)).isEqualTo("6");
        assertThat(HeaderValues.text(headers, FailureHeaders.PASSES)).isEqualTo("1");
        assertThat(HeaderValues.text(headers, FailureHeaders.FIRST_FAILURE_AT)).isEqualTo("2026-11-21T12:00:00Z");
        assertThat(HeaderValues.text(headers, FailureHeaders.NOT_BEFORE)).isEqualTo("2026-11-21T12:01:00Z");
    }

    @Test
    void routingAgainReplacesTheHeadersKeepsTheFirstOriginAndTheUsersHeaders() {
        RecordHeaders consumed = new RecordHeaders();
        consumed.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
        Headers first = FailureHeaderWriter.headers(record("articles", 2, 17, consumed), RESET, NOW,
                NOW.plusSeconds(60));
        Headers second = FailureHeaderWriter.headers(record("articles-error", 2, 3, first), RESET,
                NOW.plusSeconds(90), null);

        assertThat(second.toArray()).hasSize(first.toArray().length - 1);
        assertThat(second.headers("trace-id")).hasSize(1);
        assertThat(HeaderValues.text(second, FailureHeaders.ORIGINAL_TOPIC)).isEqualTo("articles");
        assertThat(HeaderValues.int64(second, FailureHeaders.ORIGINAL_OFFSET)).isEqualTo(17L);
        assertThat(HeaderValues.text(second, FailureHeaders.FIRST_FAILURE_AT)).isEqualTo("2026-11-21T12:00:00Z");
        assertThat(HeaderValues.text(second, FailureHeaders.PASSES)).isEqualTo("2");
        assertThat(second.lastHeader(FailureHeaders.NOT_BEFORE)).as("a dead-letter copy is never due").isNull();
        for (Header header : second) {
            assertThat(second.headers(header.key())).as(header.key()).hasSize(1);
        }
    }

    @Test
    void aReasonIsOneBoundedLine() {
        Failure failure = new Failure("HANDLER_ERROR", Outcome.MAYBE_PROCESSED, 0, "X", "a\nb\r\n" + "x".repeat(900));
        assertThat(failure.reason()).startsWith("a b x").hasSize(512).doesNotContain("\n");
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, Headers headers) {
        return new ConsumerRecord<>(topic, partition, offset, 1_000L, TimestampType.CREATE_TIME, 1, 1,
                "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}
