package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.retry.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The routing table, kind by kind: a pure function, so every row is checked without a broker. */
class RoutingDecisionTest {
    private static final int MAX = 3;

    @ParameterizedTest
    @EnumSource(value = FailureKind.class, names = {"CLIENT_ERROR", "PERMANENT_SERVER_ERROR", "FORBIDDEN",
            "IO_ERROR"})
    void permanentKindsAreDeadLetteredAtOnceAndCounted(FailureKind kind) {
        assertThat(RoutingDecision.of(kind, 1, 0, MAX)).isEqualTo(new RoutingDecision(Route.DEAD_LETTER_TOPIC, 1));
    }

    @ParameterizedTest
    @EnumSource(value = FailureKind.class, names = {"STALE_CONNECTION", "CONNECTION_RESET", "CONNECT_FAILURE",
            "CONNECT_TIMEOUT", "REQUEST_TIMEOUT", "HTTP2_STREAM_REFUSED", "HTTP2_RESET", "THROTTLED", "SERVER_ERROR"})
    void transientKindsGoToTheErrorTopicUntilTheNewCountReachesTheLimit(FailureKind kind) {
        assertThat(RoutingDecision.of(kind, 1, 0, MAX)).isEqualTo(new RoutingDecision(Route.ERROR_TOPIC, 1));
        assertThat(RoutingDecision.of(kind, 1, 1, MAX)).isEqualTo(new RoutingDecision(Route.ERROR_TOPIC, 2));
        assertThat(RoutingDecision.of(kind, 1, 2, MAX)).isEqualTo(new RoutingDecision(Route.DEAD_LETTER_TOPIC, 3));
        assertThat(RoutingDecision.of(kind, 1, 7, MAX)).isEqualTo(new RoutingDecision(Route.DEAD_LETTER_TOPIC, 8));
    }

    @ParameterizedTest
    @EnumSource(value = FailureKind.class, names = {"CIRCUIT_OPEN", "RETRY_BUDGET_EXHAUSTED", "DEADLINE_EXCEEDED"})
    void aCallALocalProtectionRefusedBeforeAnyAttemptIsHeldWithoutCountingAgainstTheEvent(FailureKind kind) {
        assertThat(RoutingDecision.of(kind, 0, 0, MAX)).isEqualTo(new RoutingDecision(Route.HOLD, 0));
        assertThat(RoutingDecision.of(kind, 0, 2, MAX)).isEqualTo(new RoutingDecision(Route.HOLD, 2));
    }

    @ParameterizedTest
    @EnumSource(value = FailureKind.class, names = {"CIRCUIT_OPEN", "RETRY_BUDGET_EXHAUSTED", "DEADLINE_EXCEEDED"})
    void aPassThatMadeRealAttemptsCountsWhateverLocalProtectionEndedIt(FailureKind kind) {
        assertThat(RoutingDecision.of(kind, 2, 0, MAX)).isEqualTo(new RoutingDecision(Route.ERROR_TOPIC, 1));
        assertThat(RoutingDecision.of(kind, 1, 2, MAX)).isEqualTo(new RoutingDecision(Route.DEAD_LETTER_TOPIC, 3));
    }

    @Test
    void aHeldEventThatWaitedItsLongestGoesToTheErrorTopicUncounted() {
        assertThat(RoutingDecision.afterHold(2)).isEqualTo(new RoutingDecision(Route.ERROR_TOPIC, 2));
    }

    @Test
    void theErrorTopicIsClosedToAnEventOnItsLastAllowedPass() {
        RoutingDecision again = new RoutingDecision(Route.ERROR_TOPIC, 1);
        assertThat(again.limitPasses(9, 10)).isSameAs(again);
        assertThat(again.limitPasses(10, 10)).isEqualTo(new RoutingDecision(Route.DEAD_LETTER_TOPIC, 1));
        RoutingDecision dead = new RoutingDecision(Route.DEAD_LETTER_TOPIC, 3);
        assertThat(dead.limitPasses(10, 10)).isSameAs(dead);
        assertThatThrownBy(() -> again.limitPasses(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlockedHostPausesAndLeavesTheCountAlone() {
        assertThat(RoutingDecision.of(FailureKind.BLOCKED, 1, 2, MAX)).isEqualTo(new RoutingDecision(Route.PAUSE, 2));
    }

    @ParameterizedTest
    @EnumSource(FailureKind.class)
    void everyKindHasARoute(FailureKind kind) {
        assertThat(RoutingDecision.of(kind, 1, 0, MAX).route()).isNotNull();
    }

    @Test
    void aMaxFailCountOfOneDeadLettersTheFirstTransientFailure() {
        assertThat(RoutingDecision.of(FailureKind.SERVER_ERROR, 1, 0, 1))
                .isEqualTo(new RoutingDecision(Route.DEAD_LETTER_TOPIC, 1));
    }

    @Test
    void aCountReadFromARecordCannotOverflow() {
        assertThat(RoutingDecision.of(FailureKind.CLIENT_ERROR, 1, Integer.MAX_VALUE, MAX).failCount())
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void negativeCountsAndLimitsAreRefused() {
        assertThatThrownBy(() -> RoutingDecision.of(FailureKind.SERVER_ERROR, 1, -1, MAX))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutingDecision.of(FailureKind.SERVER_ERROR, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutingDecision.of(FailureKind.SERVER_ERROR, -1, 0, MAX))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The status table is read here as the retry decision reads it: every status from 400 to 599 is routed to the
     * error topic exactly when the policy retries its kind, so a 501 goes to the dead-letter topic as the policy
     * ends it at once, and a 503 goes back for another pass as the policy retries it.
     */
    @Test
    void everyFailedStatusIsRoutedForAnotherPassExactlyWhenThePolicyWouldRetryIt() {
        RetryPolicy policy = RetryPolicy.standard();
        for (int status = 400; status < 600; status++) {
            int code = status;
            FailureKind kind = policy.classify(new ResponseInfo() {
                @Override
                public int statusCode() {
                    return code;
                }

                @Override
                public HttpHeaders headers() {
                    return HttpHeaders.of(Map.of(), (name, value) -> true);
                }

                @Override
                public HttpClient.Version version() {
                    return HttpClient.Version.HTTP_1_1;
                }
            }).orElseThrow();
            Route route = RoutingDecision.of(kind, 1, 0, MAX).route();

            assertThat(route).as("%d (%s)", status, kind)
                    .isEqualTo(kind.isTransient() ? Route.ERROR_TOPIC : Route.DEAD_LETTER_TOPIC);
        }
        assertThat(RoutingDecision.of(FailureKind.PERMANENT_SERVER_ERROR, 1, 0, MAX).route())
                .as("501").isEqualTo(Route.DEAD_LETTER_TOPIC);
    }
}
