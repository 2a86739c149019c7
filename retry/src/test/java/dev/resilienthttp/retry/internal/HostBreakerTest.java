package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.retry.CircuitState;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One host's breaker: a half-open breaker lets through as many probes as it was set to, whatever is given back. */
class HostBreakerTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final List<String> told = new CopyOnWriteArrayList<>();
    private final HostBreaker breaker = new HostBreaker("api.example.org:443", CircuitBreakerConfig.custom()
            .failureRateThreshold(50).slidingWindowSize(2).minimumNumberOfCalls(2)
            .waitDurationInOpenState(Duration.ofMillis(1)).permittedNumberOfCallsInHalfOpenState(1).build(),
            (host, from, to) -> told.add(from + "->" + to));

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

    /**
     * Four threads drive one breaker through its states as fast as they can. What the listener hears must be one chain
     * in the order it hears it (each change starts where the one before ended), ending at the breaker's state.
     */
    @Test
    void theStateChangesHeardFromManyThreadsFollowOnFromEachOtherAndEndAtTheBreakersState() throws Exception {
        List<CircuitState[]> heard = Collections.synchronizedList(new ArrayList<>());
        HostBreaker shared = new HostBreaker("api.example.org:443", CircuitBreakerConfig.custom()
                .failureRateThreshold(50).slidingWindowSize(2).minimumNumberOfCalls(2)
                .waitDurationInOpenState(Duration.ofMillis(1)).permittedNumberOfCallsInHalfOpenState(1).build(),
                (host, from, to) -> heard.add(new CircuitState[] {from, to}));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> drivers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                drivers.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 20_000; i++) {
                        if (shared.tryAcquire() == HostBreaker.REFUSED) {
                            continue;
                        }
                        if (random.nextBoolean()) {
                            shared.succeeded(1_000);
                        } else {
                            shared.failed(1_000, FailureKind.CONNECTION_RESET);
                        }
                    }
                }));
            }
            for (Future<?> driver : drivers) {
                driver.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(heard).as("the breaker changed state").hasSizeGreaterThan(10);
        CircuitState last = CircuitState.CLOSED;
        for (CircuitState[] change : heard) {
            assertThat(change[0]).as("a change heard after one that ended in " + last).isEqualTo(last);
            last = change[1];
        }
        shared.succeeded(1_000);   // one more look, with no other thread about
        CircuitState[] end = heard.get(heard.size() - 1);
        assertThat(end[1]).isEqualTo(shared.state());
    }

    @Test
    void aRetiredOpenBreakerIsToldClosedOnceAndNothingAfterWhateverItsCallsInFlightReport()
            throws InterruptedException {
        Object inFlight = breaker.tryAcquire();
        openTheBreaker();

        breaker.retire(true);
        breaker.retire(true);

        assertThat(told).containsExactly("CLOSED->OPEN", "OPEN->CLOSED");
        Await.until("the forgotten breaker to let a probe through", BOUND,
                () -> breaker.tryAcquire() != HostBreaker.REFUSED);
        breaker.release(inFlight);
        breaker.failed(1_000, FailureKind.CONNECTION_RESET);
        assertThat(told).as("its half-open and open again, not told").containsExactly("CLOSED->OPEN", "OPEN->CLOSED");
    }

    @Test
    void aClosedBreakerIsCleanOnlyWhileItsWindowHoldsNoFailure() {
        assertThat(breaker.clean()).as("new").isTrue();

        assertThat(breaker.tryAcquire()).isNotSameAs(HostBreaker.REFUSED);
        breaker.failed(1_000, FailureKind.CONNECTION_RESET);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.clean()).as("closed, with a failure in its window").isFalse();

        breaker.retire(true);
        assertThat(told).as("a closed breaker goes silently").isEmpty();
    }

    private void openTheBreaker() {
        for (int i = 0; i < 2; i++) {
            assertThat(breaker.tryAcquire()).isNotSameAs(HostBreaker.REFUSED);
            breaker.failed(1_000, FailureKind.CONNECTION_RESET);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }
}
