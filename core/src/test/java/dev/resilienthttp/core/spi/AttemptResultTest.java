package dev.resilienthttp.core.spi;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.fixtures.Responses;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a policy reads off an attempt: the status it records and the response it may return. */
class AttemptResultTest {

    @Test
    void aSuccessHandsItsResponseToThePolicy() {
        HttpResponse<String> ok = answer(200);

        AttemptResult<String> success = AttemptResult.success(1, ok);

        assertThat(success.successfulResponse()).isSameAs(ok);
        assertThat(success.statusCode()).isEqualTo(200);
    }

    @Test
    void aStatusFailureRefusesToPassForASuccess() {
        AttemptResult<String> failed = AttemptResult.failedResponse(2, answer(503), FailureKind.SERVER_ERROR);

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThatThrownBy(failed::successfulResponse).isInstanceOf(IllegalStateException.class)
                .hasMessage("attempt 2 failed (SERVER_ERROR): it has no successful response");
    }

    @Test
    void aTransportFailureHasStatusZero() {
        AttemptResult<String> failed = AttemptResult.failedTransport(1, new IOException("connection reset"),
                FailureKind.STALE_CONNECTION, Outcome.NOT_SENT, 1);

        assertThat(failed.statusCode()).isZero();
        assertThatThrownBy(failed::successfulResponse).isInstanceOf(IllegalStateException.class);
    }

    /** A response with a status and nothing else. */

    private static HttpResponse<String> answer(int status) {
        return Responses.response(status, HttpClient.Version.HTTP_1_1, Map.of(), "");
    }
}
