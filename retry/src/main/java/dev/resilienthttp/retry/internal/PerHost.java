package dev.resilienthttp.retry.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * State kept per host, bounded: a service that calls many distinct hosts (a subdomain per tenant) must not keep one
 * entry for every host it ever called. Two bounds, both on the calling threads, never a thread of its own:
 * <ul>
 *   <li>{@link #sweep}: an entry unused for the idle time is given up, if it agrees ({@link Entry#mayGo}: a BLOCKED
 *       latch never does). The caller runs it now and then; it costs one pass over the map.</li>
 *   <li>the cap: when a new entry makes more than {@code maxHosts}, entries unused for {@link #TRIM_MIN_IDLE_NANOS}
 *       that hold nothing worth keeping go, least recently used first, down to nine tenths of the cap; past twice the
 *       cap, those that hold only what can be rebuilt go too ({@link Reason}). The pass is paid once per tenth of the
 *       cap, or per half the map, of new hosts.</li>
 * </ul>
 * An entry with an attempt in flight ({@link Entry#enter}) is never given up: what the attempt ends with must reach the
 * state that admitted it. An entry given up is retired before it leaves the map: whoever still holds it sees
 * {@link Entry#retired()} and asks the map again, for a fresh entry; what its going changes ({@link Entry#gone}) is
 * said after, outside every lock of this map. Time is passed in (nanoseconds of a monotonic source). Thread-safe.
 */
final class PerHost<V extends PerHost.Entry> {

    /** Why an entry is asked to go. */
    enum Reason {
        /** It went unused for the idle time. */
        IDLE,
        /** The map is over its cap: only what holds nothing a new entry would not should go. */
        CAP,
        /** The map is past twice its cap: what can be rebuilt goes, what guards a failing host stays. */
        PAST_TWICE_CAP
    }

    /**
     * One host's entry. Its monitor guards the decision to retire it: a subclass that changes what
     * {@link #mayGo} looks at does so holding {@code this}, and does nothing to an entry once it is retired.
     */
    abstract static class Entry {
        /** A use is written at most once a second: the idle time is minutes, and a busy host's calls share no write. */
        private static final long TOUCH_NANOS = 1_000_000_000L;

        private volatile long lastUsed;
        private volatile boolean retired;
        /** Attempts admitted by this entry and not yet ended; guarded by the entry's monitor. */
        private int inFlight;

        Entry(long now) {
            this.lastUsed = now;
        }

        /** Notes a use at {@code now}. */
        final void touch(long now) {
            if (now - lastUsed >= TOUCH_NANOS) {
                lastUsed = now;
            }
        }

        final long lastUsed() {
            return lastUsed;
        }

        final boolean retired() {
            return retired;
        }

        /** Whether the entry may be given up for {@code reason}, called holding its monitor. */
        abstract boolean mayGo(Reason reason);

        /** Called once, after the entry was retired and outside its monitor: say what its going changes. */
        void gone() {
        }

        /**
         * An attempt admitted by this entry starts: it is kept until {@link #leave}. Returns {@code false} if the entry
         * was retired meanwhile: ask the map again.
         */
        final synchronized boolean enter() {
            if (retired) {
                return false;
            }
            inFlight++;
            return true;
        }

        /** An attempt {@link #enter} admitted has ended. */
        final synchronized void leave() {
            inFlight--;
        }

        /** Retires the entry if no attempt is in flight and it may go; whether it did. The caller then calls {@link #gone}. */
        final boolean retire(Reason reason) {
            synchronized (this) {
                if (retired || inFlight > 0 || !mayGo(reason)) {
                    return false;
                }
                retired = true;
            }
            return true;
        }
    }

    /** A trim takes only an entry unused this long: a host being called is never traded for a new one. */
    static final long TRIM_MIN_IDLE_NANOS = 60_000_000_000L;

    private final Map<String, V> entries = new ConcurrentHashMap<>();
    private final int maxHosts;
    /** The size past which a new entry trims: the cap, or more when what stayed after a trim held something. */
    private volatile int trimAbove;

    PerHost(int maxHosts) {
        this.maxHosts = maxHosts;
        this.trimAbove = maxHosts;   // nextTrimAbove(0)
    }

    /** {@code host}'s entry, or {@code null}; never a retired one. */
    V get(String host) {
        V entry = entries.get(host);
        return entry == null || entry.retired() ? null : entry;
    }

    /** {@code host}'s entry, made by {@code create} if there is none or it was retired; {@code now} is the time. */
    V getOrCreate(String host, Function<String, V> create, long now) {
        V entry = entries.get(host);   // first: compute's capturing lambda allocates
        if (entry != null && !entry.retired()) {
            return entry;
        }
        Object[] made = new Object[1];
        entry = entries.compute(host, (name, known) -> {
            if (known != null && !known.retired()) {
                return known;
            }
            V fresh = create.apply(name);
            made[0] = fresh;
            return fresh;
        });
        if (made[0] != null && entries.size() > trimAbove) {
            trim(now).forEach(Entry::gone);   // outside the trim's lock: a breaker's going takes the breaker's
        }
        return entry;
    }

    /** Gives up every entry unused for {@code idleNanos} at {@code now} that agrees to go. */
    void sweep(long now, long idleNanos) {
        entries.forEach((host, entry) -> {
            if (now - entry.lastUsed() >= idleNanos && entry.retire(Reason.IDLE)) {
                entries.remove(host, entry);
                entry.gone();
            }
        });
        trimAbove = nextTrimAbove(entries.size());
    }

    void forEach(BiConsumer<String, V> action) {
        entries.forEach((host, entry) -> {
            if (!entry.retired()) {
                action.accept(host, entry);
            }
        });
    }

    int size() {
        return entries.size();
    }

    /** Trims to the cap as the class says; returns the entries retired, whose going the caller says. */
    private synchronized List<V> trim(long now) {
        List<V> retired = new ArrayList<>();
        if (entries.size() <= trimAbove) {
            return retired;   // another thread trimmed meanwhile
        }
        List<Use<V>> oldestFirst = new ArrayList<>(entries.size());
        entries.forEach((host, entry) -> {
            long idle = now - entry.lastUsed();   // read once: a sort must not see a use move under it
            if (idle >= TRIM_MIN_IDLE_NANOS) {
                oldestFirst.add(new Use<>(host, entry, idle));
            }
        });
        oldestFirst.sort(Comparator.comparingLong(Use<V>::idleNanos).reversed());
        trimPass(oldestFirst, maxHosts - slack(), Reason.CAP, retired);
        trimPass(oldestFirst, 2 * maxHosts - slack(), Reason.PAST_TWICE_CAP, retired);
        trimAbove = nextTrimAbove(entries.size());
        return retired;
    }

    /**
     * The size past which a new entry trims, after a pass left {@code size}: the cap when it is under it; else half
     * the map more (a trim that can take nothing is not paid again soon), but no more than twice the cap, where what
     * holds a little goes too.
     */
    private int nextTrimAbove(int size) {
        if (size <= maxHosts) {
            return maxHosts;
        }
        int later = size + Math.max(slack(), size / 2);
        return size < 2 * maxHosts ? Math.min(2 * maxHosts, later) : later;
    }

    private void trimPass(List<Use<V>> oldestFirst, int target, Reason reason, List<V> retired) {
        for (Use<V> use : oldestFirst) {
            if (entries.size() <= target) {
                return;
            }
            if (use.entry().retire(reason)) {
                entries.remove(use.host(), use.entry());
                retired.add(use.entry());
            }
        }
    }

    /** An entry and how long it had been unused when the trim began. */
    private record Use<E extends Entry>(String host, E entry, long idleNanos) {
    }

    /** A tenth of the cap: a trim pays one pass for that many new hosts. */
    private int slack() {
        return Math.max(1, maxHosts / 10);
    }
}
