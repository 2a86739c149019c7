package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.retry.CircuitState;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** One host's breaker: a half-open breaker lets through as many probes as it was set to, whatever is given back. */
class HostBreakerTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final HostBreaker breaker = new HostBreaker("api.example.org:443", CircuitBreakerConfig.custom()
            .failureRateThreshold(50).slidingWindowSize(2).minimumNumberOfCalls(2)
            .waitDurationInOpenState(Duration.ofMillis(1)).permittedNumberOfCallsInHalfOpenState(1).build(),
            (host, from, to) -> { });

    @Test
    void aPermissionTakenBeforeTheBreakerOpenedAndGivenBackWhileItIsHalfOpenLetsNoSecondProbeThrough()
            throws InterruptedException {
        Object admittedWhileClosed = breaker.tryAcquire();
        openTheBreaker();
        Object[] probe = {HostBreaker.REFUSED};
        Await.until("the breaker to let its one probe through", BOUND,
                () -> (probe[0] = breaker.tryAcquire()) != HostBreaker.REFUSED);
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);

        breaker.release(admittedWhileClosed);   // that call was cancelled

        assertThat(breaker.tryAcquire()).as("a second probe").isSameAs(HostBreaker.REFUSED);
    }

    @Test
    void theProbesPermissionGivenBackLetsTheNextProbeThrough() throws InterruptedException {
        openTheBreaker();
        Object[] probe = {HostBreaker.REFUSED};
        Await.until("the breaker to let its one probe through", BOUND,
                () -> (probe[0] = breaker.tryAcquire()) != HostBreaker.REFUSED);
        assertThat(breaker.tryAcquire()).as("while the probe is out").isSameAs(HostBreaker.REFUSED);

        breaker.release(probe[0]);   // the probe was never sent

        assertThat(breaker.tryAcquire()).as("the next probe").isNotSameAs(HostBreaker.REFUSED);
    }

    @Test
    void aPermissionOfAnEarlierHalfOpenPeriodGivenBackLetsNoSecondProbeThroughInTheNext()
            throws InterruptedException {
        openTheBreaker();
        Object[] first = {HostBreaker.REFUSED};
        Await.until("the first half-open probe", BOUND, () -> (first[0] = breaker.tryAcquire()) != HostBreaker.REFUSED);
        Object[] second = {HostBreaker.REFUSED};
        Await.until("the same period's second permission to be refused", BOUND,
                () -> breaker.tryAcquire() == HostBreaker.REFUSED);
        breaker.failed(1_000, FailureKind.CONNECTION_RESET);   // some other probe failed: open again
        Await.until("the next period's probe", BOUND, () -> (second[0] = breaker.tryAcquire()) != HostBreaker.REFUSED);

        breaker.release(first[0]);

        assertThat(breaker.tryAcquire()).as("a second probe in the new period").isSameAs(HostBreaker.REFUSED);
    }

    private void openTheBreaker() {
        for (int i = 0; i < 2; i++) {
            assertThat(breaker.tryAcquire()).isNotSameAs(HostBreaker.REFUSED);
            breaker.failed(1_000, FailureKind.CONNECTION_RESET);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }
}
