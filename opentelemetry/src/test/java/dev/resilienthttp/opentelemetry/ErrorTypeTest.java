package dev.resilienthttp.opentelemetry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.spi.AttemptEnd;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTypeTest {

    @Test
    void aSuccessBelow400HasNone() {
        assertThat(ErrorType.of(response(200, null))).isNull();
        assertThat(ErrorType.of(response(304, null))).isNull();
    }

    @Test
    void aFailedStatusIsItsCodeAndSoIsAnyStatusFrom400ThePolicyAccepts() {
        assertThat(ErrorType.of(response(503, FailureKind.SERVER_ERROR))).isEqualTo("503");
        assertThat(ErrorType.of(response(404, null))).isEqualTo("404");
    }

    @Test
    void aTransportFailureIsTheClassOfItsMostSpecificCause() {
        IOException wrapped = new IOException("HTTP/1.1 header parser received no bytes",
                new SocketException("Connection reset"));
        AttemptEnd reset = new AttemptEnd(1, 1, Duration.ZERO, Duration.ofMillis(3), 0, FailureKind.CONNECTION_RESET,
                Outcome.MAYBE_PROCESSED, wrapped, SocketException.class.getName());

        assertThat(ErrorType.of(reset)).isEqualTo("java.net.SocketException");
    }

    @Test
    void aStoppedAttemptIsTheClassOfWhatStoppedIt() {
        CancellationException cancelled = new CancellationException();
        AttemptEnd stopped = new AttemptEnd(2, 1, Duration.ofMillis(250), Duration.ofMillis(3), 0, null,
                Outcome.MAYBE_PROCESSED, cancelled, cancelled.getClass().getName());

        assertThat(ErrorType.of(stopped)).isEqualTo("java.util.concurrent.CancellationException");
    }

    private static AttemptEnd response(int status, FailureKind kind) {
        return new AttemptEnd(1, 1, Duration.ZERO, Duration.ofMillis(3), status, kind, Outcome.PROCESSED, null, "");
    }
}
