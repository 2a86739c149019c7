package dev.resilienthttp.retry.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Finagle's semantics with literal times. */
class RetryBudgetTest {
    private static long s(double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }

    private static int retriesAllowed(RetryBudget budget, long now, int tries) {
        int allowed = 0;
        for (int i = 0; i < tries; i++) {
            allowed += budget.tryRetry(now) ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void withNoTrafficTheReserveAllowsTenRetriesASecondOverTheWindow() {
        RetryBudget budget = new RetryBudget(0.2, 10, 10);
        assertThat(retriesAllowed(budget, s(0), 1_000)).isEqualTo(100);
    }

    @Test
    void eachRequestAddsAFifthOfARetry() {
        RetryBudget budget = new RetryBudget(0.2, 0, 10);
        for (int i = 0; i < 500; i++) {
            budget.request(s(1));
        }
        assertThat(retriesAllowed(budget, s(2), 1_000)).isEqualTo(100);
    }

    @Test
    void retriesAndRequestsOlderThanTheWindowAreForgotten() {
        RetryBudget budget = new RetryBudget(0.2, 1, 10);
        assertThat(retriesAllowed(budget, s(0), 100)).isEqualTo(10);
        assertThat(retriesAllowed(budget, s(5), 100)).as("still inside the window").isZero();
        assertThat(retriesAllowed(budget, s(10.5), 100)).as("second 0 has left the window").isEqualTo(10);
    }

    @Test
    void aTotalOutageIsCappedNearTwentyPercentOfTheTraffic() {
        RetryBudget budget = new RetryBudget(0.2, 10, 10);
        int retries = 0;
        int requests = 0;
        for (int second = 0; second < 60; second++) {
            for (int i = 0; i < 1_000; i++) {
                budget.request(s(second + i / 1000.0));
                requests++;
                retries += budget.tryRetry(s(second + i / 1000.0)) ? 1 : 0;
            }
        }
        assertThat(retries).isLessThanOrEqualTo((int) (0.2 * requests) + 10 * 10 * 6);
        assertThat(retries).isGreaterThan((int) (0.15 * requests));
    }
}
