package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ProtectionListener} that records what it heard, in order, for the protection tests to assert on: the
 * latch's blockings, the breaker's transitions ({@code CLOSED->OPEN}), the rate limits, the holds and refusals.
 */
final class ProtectionEvents implements ProtectionListener {
    private final List<String> events = new ArrayList<>();
    private final List<String> transitions = new ArrayList<>();
    private final List<Integer> rateLimits = new ArrayList<>();
    private final List<Duration> holds = new ArrayList<>();
    private final CountDownLatch firstHold = new CountDownLatch(1);

    @Override
    public synchronized void hostHeld(String host, Duration wait) {
        events.add("held " + host + " " + wait);
        holds.add(wait);
        firstHold.countDown();
    }

    @Override
    public synchronized void hostBlocked(String host, String reason) {
        events.add("blocked " + host);
    }

    @Override
    public synchronized void hostUnblocked(String host) {
        events.add("unblocked " + host);
    }

    @Override
    public synchronized void callRefused(String host, FailureKind kind) {
        events.add("refused " + host + " " + kind);
    }

    @Override
    public synchronized void circuitStateChanged(String host, CircuitState from, CircuitState to) {
        events.add("circuit " + host + " " + from + "->" + to);
        transitions.add(from + "->" + to);
    }

    @Override
    public synchronized void retryRefusedByBudget(String host) {
        events.add("budget refused " + host);
    }

    @Override
    public synchronized void rateLimitChanged(String host, int permitsPerSecond) {
        events.add("rate " + host + " " + permitsPerSecond);
        rateLimits.add(permitsPerSecond);
    }

    /** How many events start with {@code prefix}, e.g. {@code "blocked 127.0.0.1:8080"} or {@code "refused"}. */
    synchronized long count(String prefix) {
        return events.stream().filter(event -> event.startsWith(prefix)).count();
    }

    /** The breaker's transitions, oldest first, as {@code FROM->TO}. */
    synchronized List<String> transitions() {
        return List.copyOf(transitions);
    }

    /** The rate limits announced, oldest first. */
    synchronized List<Integer> rateLimits() {
        return List.copyOf(rateLimits);
    }

    /** The {@code Retry-After} holds announced, oldest first. */
    synchronized List<Duration> holds() {
        return List.copyOf(holds);
    }

    /** Waits up to {@code bound} for the first {@code hostHeld}; answers whether it came. */
    boolean awaitFirstHold(Duration bound) throws InterruptedException {
        return firstHold.await(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized String toString() {
        return String.join(", ", events);
    }
}
