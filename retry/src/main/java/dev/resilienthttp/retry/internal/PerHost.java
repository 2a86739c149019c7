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
 *   <li>the cap: when a new entry makes more than {@code maxHosts}, entries that hold nothing worth keeping go,
 *       least recently used first, down to nine tenths of the cap, so that the pass is paid once per tenth of the cap
 *       of new hosts. Entries that hold something stay, even past the cap, until they are idle.</li>
 * </ul>
 * An entry given up is retired before it leaves the map: whoever still holds it sees {@link Entry#retired()} and
 * asks the map again, for a fresh entry. Time is passed in (nanoseconds of a monotonic source). Thread-safe.
 */
final class PerHost<V extends PerHost.Entry> {

    /**
     * One host's entry. Its monitor guards the decision to retire it: a subclass that changes what
     * {@link #mayGo} looks at does so holding {@code this}, and does nothing to an entry once it is retired.
     */
    abstract static class Entry {
        /** A use is written at most once a second: the idle time is minutes, and a busy host's calls share no write. */
        private static final long TOUCH_NANOS = 1_000_000_000L;

        private volatile long lastUsed;
        private volatile boolean retired;

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

        /**
         * Whether the entry may be given up, called holding its monitor: {@code idle} when it has gone unused for
         * the idle time, else because the map is over its cap (then only if it holds nothing worth keeping).
         */
        abstract boolean mayGo(boolean idle);

        /** Called once, after the entry was retired and outside its monitor: say what its going changes. */
        void gone() {
        }

        /** Retires the entry if it may go; whether it did. */
        final boolean retire(boolean idle) {
            synchronized (this) {
                if (retired || !mayGo(idle)) {
                    return false;
                }
                retired = true;
            }
            gone();
            return true;
        }
    }

    private final Map<String, V> entries = new ConcurrentHashMap<>();
    private final int maxHosts;
    /** The size past which a new entry trims: the cap, or more when what stayed after a trim held something. */
    private volatile int trimAbove;

    PerHost(int maxHosts) {
        this.maxHosts = maxHosts;
        this.trimAbove = maxHosts;
    }

    /** {@code host}'s entry, or {@code null}; never a retired one. */
    V get(String host) {
        V entry = entries.get(host);
        return entry == null || entry.retired() ? null : entry;
    }

    /** {@code host}'s entry, made by {@code create} if there is none or it was retired. */
    V getOrCreate(String host, Function<String, V> create) {
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
            trim();
        }
        return entry;
    }

    /** Gives up every entry unused for {@code idleNanos} at {@code now} that agrees to go. */
    void sweep(long now, long idleNanos) {
        entries.forEach((host, entry) -> {
            if (now - entry.lastUsed() >= idleNanos && entry.retire(true)) {
                entries.remove(host, entry);
            }
        });
        trimAbove = Math.max(maxHosts, entries.size() + slack());
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

    private synchronized void trim() {
        if (entries.size() <= trimAbove) {
            return;   // another thread trimmed meanwhile
        }
        List<Use<V>> oldestFirst = new ArrayList<>(entries.size());
        entries.forEach((host, entry) -> oldestFirst.add(new Use<>(host, entry, entry.lastUsed())));   // read once
        oldestFirst.sort(Comparator.comparingLong(Use::lastUsed));
        int target = maxHosts - slack();
        for (Use<V> use : oldestFirst) {
            if (entries.size() <= target) {
                break;
            }
            if (use.entry().retire(false)) {
                entries.remove(use.host(), use.entry());
            }
        }
        trimAbove = Math.max(maxHosts, entries.size() + slack());
    }

    /** An entry and its last use, read once: a sort must not see a use move under it. */
    private record Use<E extends Entry>(String host, E entry, long lastUsed) {
    }

    /** A tenth of the cap: a trim pays one pass for that many new hosts. */
    private int slack() {
        return Math.max(1, maxHosts / 10);
    }
}
