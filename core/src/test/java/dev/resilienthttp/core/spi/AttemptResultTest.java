package dev.resilienthttp.core.spi;

import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.FailureKind;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a policy reads off an attempt: the status it records and the response it may return. */
class AttemptResultTest {

    @Test
    void aSuccessHandsItsResponseToThePolicy() {
        HttpResponse<String> ok = new Answer(200);

        AttemptResult<String> success = AttemptResult.success(1, ok);

        assertThat(success.successfulResponse()).isSameAs(ok);
        assertThat(success.statusCode()).isEqualTo(200);
    }

    @Test
    void aStatusFailureRefusesToPassForASuccess() {
        AttemptResult<String> failed = AttemptResult.failedResponse(2, new Answer(503), FailureKind.SERVER_ERROR);

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
    private static final class Answer implements HttpResponse<String> {
        private final int status;

        Answer(int status) {
            this.status = status;
        }

        @Override
        public int statusCode() {
            return status;
        }

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (name, value) -> true);
        }

        @Override
        public String body() {
            return "";
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return URI.create("http://127.0.0.1/");
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
