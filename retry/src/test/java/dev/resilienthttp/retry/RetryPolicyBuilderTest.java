package dev.resilienthttp.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every share the builder takes is a ratio from 0 to 1; a percent passed by habit is refused, saying so. */
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
}
