package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.retry.CircuitState;
import dev.resilienthttp.retry.ProtectionListener;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a policy keeps per host is bounded, on virtual time: a service that calls a host per tenant keeps the hosts in
 * use, not every host it ever called. Idle for 10 min (swept once a minute) a host is forgotten, but never while
 * BLOCKED; past 10,000 hosts, those that hold nothing go first.
 */
class HostStateBoundsTest {
    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final int MAX_HOSTS = 10_000;
    private static final long FAR = Duration.ofMinutes(5).toNanos();
    private static final String DOWN = "down.api.example.com:443";

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final Protections protections = new Protections(new ProtectionSettings(3, 0.9, 50, Duration.ZERO,
            0.5, 4, Duration.ofSeconds(30), 1, 100, 1, -1, 10, Duration.ofSeconds(10), Duration.ofSeconds(120),
            IDLE, MAX_HOSTS, Duration.ofMinutes(1)), new ProtectionListener() {
                @Override
                public void circuitStateChanged(String host, CircuitState from, CircuitState to) {
                    heard.add(host + " " + from + "->" + to);
                }

                @Override
                public void rateLimitChanged(String host, int permitsPerSecond) {
                    heard.add(host + " rate " + permitsPerSecond);
                }
            }, nanos::get, Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void manyHostsCalledOnceAreAllForgottenOnceIdlePastTheExpiry() {
        for (int i = 0; i < 1_000; i++) {
            answer(tenant(i), new int[] {200, 500, 403, 429}[i % 4]);
        }
        protections.holdRemotely("held.elsewhere.example.com:443", Instant.parse("2026-11-21T10:01:00Z"));
        assertThat(protections.hostsTracked()).isEqualTo(new Protections.Tracked(1_000, 1_000, 251));

        advance(IDLE.minusMinutes(1));
        assertThat(protections.circuitStates()).as("a gauge's look, before the expiry").hasSize(1_000);
        assertThat(protections.hostsTracked()).as("only the holds, which have passed, are gone")
                .isEqualTo(new Protections.Tracked(1_000, 1_000, 0));

        advance(Duration.ofMinutes(2));
        assertThat(protections.circuitStates()).as("a gauge's look, after it").isEmpty();
        assertThat(protections.hostsTracked()).isEqualTo(Protections.Tracked.NONE);
        assertThat(heard).as("a throttled host's limiter is told back at its full rate as it goes")
                .containsSubsequence(tenant(3) + " rate 50", tenant(3) + " rate 100");
    }

    @Test
    void aBlockedHostIsKeptHoweverLongItGoesUncalled() {
        String blocked = "blocked.api.example.com:443";
        answer(blocked, 403);
        answer(blocked, 403);
        answer(blocked, 403);
        answer(tenant(1), 200);

        for (int day = 0; day < 30 * 24; day++) {
            advance(Duration.ofHours(1));
            protections.circuitStates();
        }

        assertThat(protections.blockedHosts()).containsExactly(blocked);
        assertThat(protections.blockedDetails().get(blocked)).contains("3 consecutive 403s");
        Admission admission = protections.admit(blocked, FAR);
        assertThat(admission).isInstanceOf(Admission.Refuse.class);
        assertThat(((Admission.Refuse) admission).kind()).isEqualTo(FailureKind.BLOCKED);
        assertThat(protections.hostsTracked()).as("the blocked host's latch alone; its neighbour was forgotten")
                .isEqualTo(new Protections.Tracked(0, 1, 0));
    }

    @Test
    void aHostWhoseBreakerOpenedAndThenWentUncalledIsForgottenAndTheListenerHearsItClosed() {
        openTheBreaker(DOWN);
        assertThat(protections.circuitStates()).containsEntry(DOWN, CircuitState.OPEN);

        advance(IDLE.plusMinutes(1));

        assertThat(protections.circuitStates()).as("the open circuits a gauge counts").isEmpty();
        assertThat(heard).containsExactly(DOWN + " CLOSED->OPEN", DOWN + " OPEN->CLOSED");
        assertThat(protections.hostsTracked()).isEqualTo(Protections.Tracked.NONE);
    }

    @Test
    void aHostCalledAgainAfterItWasForgottenStartsAfreshWithAClosedBreaker() {
        openTheBreaker(DOWN);
        advance(IDLE.plusMinutes(1));

        assertThat(protections.admit(DOWN, FAR)).as("no CIRCUIT_OPEN").isInstanceOf(Permit.class);
        assertThat(protections.circuitState(DOWN)).isEqualTo(CircuitState.CLOSED);
        assertThat(heard).containsExactly(DOWN + " CLOSED->OPEN", DOWN + " OPEN->CLOSED");
    }

    @Test
    void aHostsFew403sAreForgottenWithItAndDoNotCountTowardsALatchLater() {
        String host = tenant(7);
        answer(host, 403);
        answer(host, 403);

        advance(IDLE.plusMinutes(1));
        protections.circuitStates();
        answer(host, 403);
        answer(host, 403);

        assertThat(protections.blockedHosts()).as("two 403s, then two more 11 min later").isEmpty();
    }

    @Test
    void theCapHoldsUnderTwentyThousandDistinctHostsAndKeepsTheHostsThatHoldSomething() {
        openTheBreaker(DOWN);
        int most = 0;
        for (int i = 0; i < 20_000; i++) {
            answer(tenant(i), 200);
            advance(Duration.ofMillis(10));   // a trim takes hosts unused for a minute
            Protections.Tracked tracked = protections.hostsTracked();
            most = Math.max(most, Math.max(tracked.breakers(), tracked.latch()));
        }

        assertThat(most).isEqualTo(MAX_HOSTS);
        assertThat(protections.hostsTracked().breakers()).isBetween(MAX_HOSTS * 9 / 10, MAX_HOSTS);
        assertThat(protections.circuitStates())
                .as("an open breaker is not dropped for the cap, nor the latest host")
                .containsEntry(DOWN, CircuitState.OPEN)
                .containsKey(tenant(19_999))
                .doesNotContainKey(tenant(0));
        assertThat(heard).containsExactly(DOWN + " CLOSED->OPEN");
    }

    @Test
    void aHostWithAttemptsInFlightIsKeptAndTheirFailuresOpenTheBreakerThatAdmittedThem() {
        List<Permit> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add((Permit) protections.admit(DOWN, FAR));   // four calls hang on a host that is down
        }

        advance(IDLE.plusMinutes(1));
        protections.circuitStates();   // a sweep, while they are still in flight
        inFlight.forEach(permit -> permit.record(FailureKind.CONNECT_TIMEOUT, 0, null, IDLE.toNanos()));

        assertThat(protections.circuitState(DOWN)).isEqualTo(CircuitState.OPEN);
        Admission next = protections.admit(DOWN, FAR);
        assertThat(next).isInstanceOf(Admission.Refuse.class);
        assertThat(((Admission.Refuse) next).kind()).isEqualTo(FailureKind.CIRCUIT_OPEN);
    }

    @Test
    void pastTwiceTheCapHostsWithFailuresGoTooButAnOpenBreakerStays() {
        openTheBreaker(DOWN);
        int most = 0;
        for (int i = 0; i < 25_000; i++) {
            answer(tenant(i), 500);   // one failure each: none is clean, none opens
            advance(Duration.ofMillis(10));
            Protections.Tracked tracked = protections.hostsTracked();
            most = Math.max(most, tracked.breakers());
        }

        assertThat(most).as("bounded, though no host holds nothing").isLessThanOrEqualTo(2 * MAX_HOSTS + 1);
        assertThat(protections.circuitStates()).containsEntry(DOWN, CircuitState.OPEN)
                .containsKey(tenant(24_999));
    }

    private void openTheBreaker(String host) {
        for (int i = 0; i < 4; i++) {
            answer(host, 500);
        }
        assertThat(protections.circuitState(host)).isEqualTo(CircuitState.OPEN);
    }

    /** One attempt to {@code host} answered with {@code status}; a 429 asks for 5 s. */
    private void answer(String host, int status) {
        Admission admission = protections.admit(host, FAR);
        assertThat(admission).as(host).isInstanceOf(Permit.class);
        FailureKind kind = switch (status) {
            case 200 -> null;
            case 403 -> FailureKind.FORBIDDEN;
            case 429 -> FailureKind.THROTTLED;
            default -> FailureKind.SERVER_ERROR;
        };
        ((Permit) admission).record(kind, status, status == 429 ? Duration.ofSeconds(5) : null, 1_000_000);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    private static String tenant(int i) {
        return "tenant" + i + ".api.example.com:443";
    }
}
