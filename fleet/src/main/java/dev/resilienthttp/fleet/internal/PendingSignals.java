package dev.resilienthttp.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The signals waiting for the publisher, at most one per host: a newer signal for a host replaces the one waiting,
 * as compaction would on the topic. So the wait is bounded by the hosts the policy talks to and never refuses a
 * signal (a person's {@code LIFT} above all). Signals go out in the order their hosts were last offered.
 *
 * <p>A {@code BLOCKED} or {@code HOLD} past its expiry is dropped rather than sent (a {@code LIFT} is never
 * expired), and so is a {@code BLOCKED} that a later {@code LIFT} has superseded. A signal whose send failed comes back, after a backoff (1 s, doubling, at most 30 s), only while it is
 * still its host's latest signal and unexpired: a newer one for the host has taken its place otherwise.
 *
 * <p>Pure: monotonic time ({@code nanos}) and wall time ({@code wall}) are passed in. Thread-safe.
 */
final class PendingSignals {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private record Waiting(Signal signal, long dueNanos) {
    }

    /** Each host's latest signal offered, until it is sent. */
    private final Map<String, Signal> latest = new HashMap<>();
    /** Failed sends of each host's latest signal, in a row. */
    private final Map<String, Integer> failures = new HashMap<>();
    private final LinkedHashMap<String, Waiting> waiting = new LinkedHashMap<>();
    /** Whether a waiting signal has been made pointless by one written or read since. */
    private final Predicate<Signal> superseded;

    /** @param superseded whether a waiting signal has been made pointless by one written or read since */
    PendingSignals(Predicate<Signal> superseded) {
        this.superseded = superseded;
    }

    /** Queues {@code signal}, replacing whatever waits for its host; due at once. */
    synchronized void offer(Signal signal, long nanos) {
        latest.put(signal.host(), signal);
        failures.remove(signal.host());
        waiting.remove(signal.host());   // to the end of the order
        waiting.put(signal.host(), new Waiting(signal, nanos));
    }

    /** Takes out the first signal due at {@code nanos}, dropping those expired on the way; null if none is due. */
    synchronized Signal next(Instant wall, long nanos) {
        for (Iterator<Waiting> each = waiting.values().iterator(); each.hasNext(); ) {
            Waiting next = each.next();
            if (stale(next.signal(), wall)) {
                each.remove();
                latest.remove(next.signal().host(), next.signal());
            } else if (next.dueNanos() - nanos <= 0) {
                each.remove();
                return next.signal();
            }
        }
        return null;
    }

    /** How long until a signal is due at {@code nanos}: 0 if one is, {@link Long#MAX_VALUE} if none waits. */
    synchronized long nanosUntilDue(long nanos) {
        long until = Long.MAX_VALUE;
        for (Waiting next : waiting.values()) {
            until = Math.min(until, Math.max(0, next.dueNanos() - nanos));
        }
        return until;
    }

    /** The topic has {@code signal}. */
    synchronized void sent(Signal signal) {
        if (latest.remove(signal.host(), signal)) {
            failures.remove(signal.host());
        }
    }

    /**
     * Sending {@code signal} failed at {@code nanos}: it waits again, after the backoff, if it is still its host's
     * latest and unexpired at {@code wall}. Returns whether it does.
     */
    synchronized boolean failed(Signal signal, Instant wall, long nanos) {
        String host = signal.host();
        if (latest.get(host) != signal || waiting.containsKey(host)) {
            return false;
        }
        if (stale(signal, wall)) {
            latest.remove(host);
            return false;
        }
        int failed = failures.merge(host, 1, Integer::sum);
        long backoff = Math.min(MAX_BACKOFF.toNanos(), FIRST_BACKOFF.toNanos() << Math.min(failed - 1, 20));
        waiting.put(host, new Waiting(signal, nanos + backoff));
        return true;
    }

    /** Takes out every signal waiting, due or not, in order, and forgets the rest: the publisher is closing. */
    synchronized List<Signal> drain() {
        List<Signal> left = new ArrayList<>();
        waiting.values().forEach(next -> left.add(next.signal()));
        waiting.clear();
        latest.clear();
        failures.clear();
        return left;
    }

    /** Whether {@code signal} is not worth sending at {@code wall}: expired, or superseded. */
    boolean stale(Signal signal, Instant wall) {
        return (signal.what() != Signal.What.LIFT && signal.expired(wall)) || superseded.test(signal);
    }
}
