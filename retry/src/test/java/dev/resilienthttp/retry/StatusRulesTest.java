package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.fixtures.Responses;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The status rules judge what arrives with the headers, status and {@code Retry-After}, before any body. */
class StatusRulesTest {
    private final StatusRules rules = new StatusRules(Map.of(404, FailureKind.SERVER_ERROR));

    @Test
    void successesAndRedirectsAreNoFailure() {
        assertThat(rules.classify(Responses.info(200))).isEmpty();
        assertThat(rules.classify(Responses.info(304))).isEmpty();
    }

    @Test
    void aRetryAfterMakesA503OrA403AThrottleAnd429IsOneAlways() {
        assertThat(rules.classify(Responses.info(429))).contains(FailureKind.THROTTLED);
        assertThat(rules.classify(Responses.info(503, "Retry-After", "5"))).contains(FailureKind.THROTTLED);
        assertThat(rules.classify(Responses.info(403, "Retry-After", "5"))).contains(FailureKind.THROTTLED);
        assertThat(rules.classify(Responses.info(503))).contains(FailureKind.SERVER_ERROR);
        assertThat(rules.classify(Responses.info(403))).contains(FailureKind.FORBIDDEN);
    }

    @Test
    void aPolicysOwnMappingGoesFirst() {
        assertThat(rules.classify(Responses.info(404))).contains(FailureKind.SERVER_ERROR);
        assertThat(rules.classify(Responses.info(400))).contains(FailureKind.CLIENT_ERROR);
    }
}
