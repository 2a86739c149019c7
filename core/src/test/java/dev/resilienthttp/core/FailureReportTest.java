package dev.resilienthttp.core;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailureReportTest {
    private static final Instant START = Instant.parse("2026-11-21T12:00:00Z");

    private static FailureReport.Attempt reset(int number, Duration delayBefore) {
        return new FailureReport.Attempt(number, FailureKind.CONNECTION_RESET, Outcome.MAYBE_PROCESSED, 0,
                "java.net.SocketException", "Connection reset", delayBefore, Duration.ofMillis(20));
    }

    @Test
    void theFailReasonSaysKindAttemptsElapsedRequestAndTheLastCause() {
        FailureReport report = new FailureReport("POST", "https://host/path", START, Duration.ofMillis(41_230),
                List.of(reset(1, Duration.ZERO), reset(2, Duration.ofMillis(250))), FailureKind.CONNECTION_RESET, "");
        assertThat(report.failReason()).isEqualTo(
                "CONNECTION_RESET after 2 attempts in 41.2 s: POST https://host/path: java.net.SocketException: "
                        + "Connection reset");
        assertThat(report.attempts()).isEqualTo(2);
        assertThat(report.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    }

    @Test
    void aStatusFailureNamesTheStatusAndTheReportIsProcessed() {
        FailureReport report = new FailureReport("GET", "https://host/articles/9", START, Duration.ofMillis(80),
                List.of(new FailureReport.Attempt(1, FailureKind.CLIENT_ERROR, Outcome.PROCESSED, 404, "", "",
                        Duration.ZERO, Duration.ofMillis(80))), FailureKind.CLIENT_ERROR, "");
        assertThat(report.failReason()).isEqualTo("CLIENT_ERROR after 1 attempt in 0.1 s: GET https://host/articles/9: HTTP 404");
        assertThat(report.lastStatus()).isEqualTo(404);
        assertThat(report.outcome()).isEqualTo(Outcome.PROCESSED);
    }

    @Test
    void aCallRefusedBeforeAnyAttemptWasNotSentAndSaysWhy() {
        FailureReport report = new FailureReport("POST", "https://host/p", START, Duration.ZERO, List.of(),
                FailureKind.BLOCKED, "host is blocked after 20 consecutive 403s");
        assertThat(report.failReason())
                .isEqualTo("BLOCKED before any attempt in 0.0 s (host is blocked after 20 consecutive 403s): POST https://host/p");
        assertThat(report.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(report.attempts()).isZero();
    }

    @Test
    void theFailReasonIsOneLineOfAtMost512Characters() {
        FailureReport.Attempt huge = new FailureReport.Attempt(1, FailureKind.IO_ERROR, Outcome.MAYBE_PROCESSED, 0,
                "java.io.IOException", "y".repeat(300), Duration.ZERO, Duration.ZERO);
        FailureReport report = new FailureReport("POST", "https://host/" + "p".repeat(400), START, Duration.ZERO,
                List.of(huge), FailureKind.IO_ERROR, "");
        assertThat(report.failReason()).hasSizeLessThanOrEqualTo(512).doesNotContain("\n");
    }

    @Test
    void attemptsAreOneBased() {
        assertThatThrownBy(() -> reset(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-based");
    }

    @Test
    void aReportSurvivesJavaSerializationWithItsTimeline() throws IOException, ClassNotFoundException {
        FailureReport report = new FailureReport("PUT", "http://h/x", START, Duration.ofSeconds(3),
                List.of(reset(1, Duration.ZERO), reset(2, Duration.ofSeconds(1))), FailureKind.CONNECTION_RESET, "");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new HttpFailureException(report, new IOException("boom"), null));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            HttpFailureException copy = (HttpFailureException) in.readObject();
            assertThat(copy.report().timeline()).isEqualTo(report.timeline());
            assertThat(copy.report().failReason()).isEqualTo(report.failReason());
            assertThat(copy.getMessage()).isEqualTo(report.failReason());
            assertThat(copy.response()).isEmpty();
        }
    }
}
