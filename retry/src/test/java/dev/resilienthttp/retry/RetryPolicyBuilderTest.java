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

    @Test
    void sizesThatWouldAllocateAnArrayPerHostBeyondAnyNeedAreRefusedWhenSet() {
        assertThatThrownBy(() -> RetryPolicy.builder().circuitBreaker(0.5, Integer.MAX_VALUE, Duration.ofSeconds(30), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1 to 10000")
                .hasMessageContaining(String.valueOf(Integer.MAX_VALUE));
        assertThatThrownBy(() -> RetryPolicy.builder().circuitBreaker(0.5, 100, Duration.ofSeconds(30), 10_001))
                .hasMessageContaining("window and probes from 1 to 10000");
        assertThatThrownBy(() -> RetryPolicy.builder().forbiddenLatch(20, 0.9, 10_001))
                .hasMessageContaining("1 <= window <= 10000");
        assertThatCode(() -> RetryPolicy.builder().circuitBreaker(0.5, 10_000, Duration.ofSeconds(30), 10_000)
                .forbiddenLatch(20, 0.9, 10_000).build()).doesNotThrowAnyException();
    }

    @Test
    void aRateLimitSoHighItWouldOverflowIsRefusedWhenSet() {
        assertThatThrownBy(() -> RetryPolicy.builder().rateLimit(Integer.MAX_VALUE, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<= 1000000");
        assertThatCode(() -> RetryPolicy.builder().rateLimit(1_000_000, 1).build()).doesNotThrowAnyException();
    }

    @Test
    void aRetryBudgetWindowBeyondAMinuteIsRefusedAsFinagleRefusesIt() {
        assertThatThrownBy(() -> RetryPolicy.builder().retryBudget(0.2, 10, Duration.ofDays(365L * 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1 s to 60 s");
        assertThatThrownBy(() -> RetryPolicy.builder().retryBudget(0.2, 10, Duration.ofSeconds(61)))
                .hasMessageContaining("from 1 s to 60 s");
        assertThatCode(() -> RetryPolicy.builder().retryBudget(0.2, 10, Duration.ofSeconds(60)).build())
                .doesNotThrowAnyException();
    }

    @Test
    void aBreakerOpenForLessThanAMillisecondIsRefusedByItsOwnNameNotResilience4js() {
        assertThatThrownBy(() -> RetryPolicy.builder().circuitBreaker(0.5, 100, Duration.ofNanos(500), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openFor must be at least 1 ms");
        assertThatCode(() -> RetryPolicy.builder().circuitBreaker(0.5, 100, Duration.ofMillis(1), 3).build())
                .doesNotThrowAnyException();
    }
}
