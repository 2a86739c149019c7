package dev.resilienthttp.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which of this instance's own findings are worth a record: one per host per change of state, so that a flood of
 * 403s or 429s makes a handful of records, not one per response. Pure: {@code now} is passed in. Thread-safe (the
 * calls' threads ask, the reader thread tells what it read).
 *
 * <ul>
 *   <li>{@code BLOCKED}: once per latch; again only after a lift has been seen.</li>
 *   <li>{@code HOLD}: when no hold of this instance's own is in force, or the new one ends more than
 *       {@link #HOLD_SLACK} after it: requests in flight when a 429 came get 429s of their own a moment later, and
 *       those say nothing new. So at most one hold record a second per host.</li>
 *   <li>{@code LIFT}: unless the topic's latest word on the host, from any instance, is a lift already.</li>
 * </ul>
 */
public final class Outbound {
    /** A hold that ends less than this after the one already told is not told again. */
    public static final Duration HOLD_SLACK = Duration.ofSeconds(1);

    private final Set<String> blockedTold = new HashSet<>();
    private final Map<String, Signal.What> latestLatchWord = new HashMap<>();
    private final Map<String, Instant> holdToldUntil = new HashMap<>();

    /** Whether this instance's latch on {@code host} is to be published. */
    public synchronized boolean blocked(String host) {
        latestLatchWord.put(host, Signal.What.BLOCKED);
        return blockedTold.add(host);
    }

    /** Whether this instance's hold of {@code host} until {@code until}, at {@code now}, is to be published. */
    public synchronized boolean held(String host, Instant until, Instant now) {
        Instant told = holdToldUntil.get(host);
        if (told != null && told.isAfter(now) && !until.isAfter(told.plus(HOLD_SLACK))) {
            return false;
        }
        holdToldUntil.put(host, until);
        return true;
    }

    /** Whether a person's unblock of {@code host} here is to be published. */
    public synchronized boolean unblocked(String host) {
        blockedTold.remove(host);
        return latestLatchWord.put(host, Signal.What.LIFT) != Signal.What.LIFT;
    }

    /** A record read from the topic, this instance's own included. */
    public synchronized void seen(Signal signal) {
        if (signal.what() == Signal.What.LIFT) {
            blockedTold.remove(signal.host());
            latestLatchWord.put(signal.host(), Signal.What.LIFT);
        } else if (signal.what() == Signal.What.BLOCKED) {
            latestLatchWord.put(signal.host(), Signal.What.BLOCKED);
        }
    }
}
