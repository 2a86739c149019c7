package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The status rules judge what arrives with the headers, status and {@code Retry-After}, before any body. */
class StatusRulesTest {
    private final StatusRules rules = new StatusRules(Map.of(404, FailureKind.SERVER_ERROR));

    @Test
    void successesAndRedirectsAreNoFailure() {
        assertThat(rules.classify(info(200))).isEmpty();
        assertThat(rules.classify(info(304))).isEmpty();
    }

    @Test
    void aRetryAfterMakesA503OrA403AThrottleAnd429IsOneAlways() {
        assertThat(rules.classify(info(429))).contains(FailureKind.THROTTLED);
        assertThat(rules.classify(info(503, "Retry-After", "5"))).contains(FailureKind.THROTTLED);
        assertThat(rules.classify(info(403, "Retry-After", "5"))).contains(FailureKind.THROTTLED);
        assertThat(rules.classify(info(503))).contains(FailureKind.SERVER_ERROR);
        assertThat(rules.classify(info(403))).contains(FailureKind.FORBIDDEN);
    }

    @Test
    void aPolicysOwnMappingGoesFirst() {
        assertThat(rules.classify(info(404))).contains(FailureKind.SERVER_ERROR);
        assertThat(rules.classify(info(400))).contains(FailureKind.CLIENT_ERROR);
    }

    private static ResponseInfo info(int status, String... header) {
        Map<String, List<String>> headers = header.length == 0 ? Map.of() : Map.of(header[0], List.of(header[1]));
        return new ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(headers, (name, value) -> true);
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
