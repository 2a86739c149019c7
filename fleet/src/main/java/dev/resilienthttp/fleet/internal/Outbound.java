package dev.resilienthttp.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Which of this instance's own findings are worth a record. Pure: {@code now} is passed in. Thread-safe (the calls'
 * threads ask, the reader thread tells what it read).
 *
 * <ul>
 *   <li>{@code BLOCKED} and {@code LIFT}: always. The latch reports only its closing, and a person's unblock is a rare
 *       act; a record may have been lost on the way (a broker away past the producer's delivery timeout), and a latch
 *       a probe lifted here alone (which tells nobody) may close again, so nothing is skipped for having been told
 *       before.</li>
 *   <li>{@code HOLD}: when no hold of this instance's own is in force, or the new one ends more than
 *       {@link #HOLD_SLACK} after it: requests in flight when a 429 came get 429s of their own a moment later, and
 *       those say nothing new. So at most one hold record a second per host. And never while the latest word on the
 *       host, read or written here, is an unexpired {@code BLOCKED}: a record has its host as its key, so the hold
 *       would make compaction drop the {@code BLOCKED} for every instance started later.</li>
 * </ul>
 */
public final class Outbound {
    /** A hold that ends less than this after the one already told is not told again. */
    public static final Duration HOLD_SLACK = Duration.ofSeconds(1);

    /** Each host's latest {@code BLOCKED} or {@code LIFT}, written here or read, by its time. */
    private final Map<String, Signal> latchWord = new HashMap<>();
    /**
     * The end of each host's latest hold told. A hold that has ended says nothing, and is dropped when the map has
     * doubled since the last drop: one pass per as many new hosts as it keeps, so at most twice the holds in force.
     */
    private final Map<String, Instant> holdToldUntil = new HashMap<>();
    private int dropEndedAt = 1;

    /** This instance's own {@code BLOCKED} or {@code LIFT}, which is published. */
    public synchronized void told(Signal signal) {
        word(signal);
    }

    /** Whether this instance's hold of {@code host} until {@code until}, at {@code now}, is to be published. */
    public synchronized boolean held(String host, Instant until, Instant now) {
        Signal word = latchWord.get(host);
        if (word != null && word.what() == Signal.What.BLOCKED && !word.expired(now)) {
            return false;
        }
        Instant told = holdToldUntil.get(host);
        if (told != null && told.isAfter(now) && !until.isAfter(told.plus(HOLD_SLACK))) {
            return false;
        }
        holdToldUntil.put(host, until);
        if (holdToldUntil.size() >= dropEndedAt) {
            holdToldUntil.values().removeIf(end -> !end.isAfter(now));
            dropEndedAt = 2 * holdToldUntil.size() + 1;
        }
        return true;
    }

    /** How many hosts a hold told is kept for. For tests. */
    synchronized int holdsKept() {
        return holdToldUntil.size();
    }

    /** A record read from the topic, this instance's own included. */
    public synchronized void seen(Signal signal) {
        if (signal.what() != Signal.What.HOLD) {
            word(signal);
        }
    }

    /**
     * Whether {@code signal}, waiting to be sent, is a {@code BLOCKED} that a {@code LIFT} written or read since has
     * lifted: sent now, it would latch again every instance that reads it after the lift.
     */
    public synchronized boolean superseded(Signal signal) {
        Signal word = latchWord.get(signal.host());
        return signal.what() == Signal.What.BLOCKED && word != null && word.what() == Signal.What.LIFT
                && !signal.at().isAfter(word.at());
    }

    /** A tombstone read for {@code host}: the topic has no word on it. */
    public synchronized void forget(String host) {
        latchWord.remove(host);
    }

    /** Keeps the later of what is known and {@code signal}: a record read late does not undo one written since. */
    private void word(Signal signal) {
        Signal known = latchWord.get(signal.host());
        if (known == null || !signal.at().isBefore(known.at())) {
            latchWord.put(signal.host(), signal);
        }
    }
}
