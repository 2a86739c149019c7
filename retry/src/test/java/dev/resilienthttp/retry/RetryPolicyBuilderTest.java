package dev.resilienthttp.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every share the builder takes is a ratio from 0 to 1; a percent passed by habit is refused, saying so. Every
 * duration is positive and fits in nanoseconds, checked when it is set, so no later arithmetic overflows.
 */
class RetryPolicyBuilderTest {

    @Test
    void aBreakerFailureRateGivenAsAPercentIsRefusedWithTheRatioToPass() {
        assertThatThrownBy(() -> RetryPolicy.builder().circuitBreaker(50, 20, Duration.ofSeconds(30), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failureRatio is a share from 0 (exclusive) to 1, was 50.0")
                .hasMessageContaining("pass 0.5");
    }

    @Test
    void sharesFromZeroToOneAreTakenByTheBreakerTheBudgetAndTheLatchAlike() {
        assertThatCode(() -> RetryPolicy.builder()
                .circuitBreaker(0.5, 20, Duration.ofSeconds(30), 3)
                .retryBudget(0.2, 10, Duration.ofSeconds(10))
                .forbiddenLatch(20, 0.9, 50)
                .build()).doesNotThrowAnyException();
        assertThatThrownBy(() -> RetryPolicy.builder().retryBudget(20, 10, Duration.ofSeconds(10)))
                .hasMessageContaining("0 <= ratio <= 1");
        assertThatThrownBy(() -> RetryPolicy.builder().forbiddenLatch(20, 90, 50))
                .hasMessageContaining("0 < ratio <= 1");
        assertThatThrownBy(() -> RetryPolicy.builder().circuitBreaker(0, 20, Duration.ofSeconds(30), 3))
                .hasMessageContaining("failureRatio");
    }

    @Test
    void aDurationTooLongToCountIsRefusedByNameWhenSetNotOnTheFirstCall() {
        Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();

        assertThatThrownBy(() -> RetryPolicy.builder().deadline(forever))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("deadline is too long");
        assertThatThrownBy(() -> RetryPolicy.builder().maxRetryAfter(forever))
                .hasMessageStartingWith("maxRetryAfter is too long");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofMillis(1), 2, forever))
                .hasMessageStartingWith("cap is too long");
        assertThatThrownBy(() -> dev.resilienthttp.core.ResilientHttpClient.builder().maxConnectionAge(forever))
                .hasMessageStartingWith("maxConnectionAge is too long");
        assertThatCode(() -> RetryPolicy.builder().deadline(Duration.ofDays(365L * 200)).build())
                .doesNotThrowAnyException();
    }
}
