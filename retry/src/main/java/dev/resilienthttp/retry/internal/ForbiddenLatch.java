package dev.resilienthttp.retry.internal;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 403 latch: when a host answers 403 to nearly every call, this client is blocked there, and retrying only
 * digs deeper. After {@code consecutive} 403s in a row, or when at least {@code ratio} of the last {@code window}
 * responses were 403, the host latches BLOCKED: calls fail at once until a person calls {@link #unblock}, or, if
 * a probe interval is set, until a probe gets something other than a 403. Unlike a circuit breaker it does not
 * half-open by itself: the API operators asked for a human. An answer to a call that was admitted before the host
 * latched (a slow 200 in flight during the flood) is not a probe, and lifts nothing; nor is the answer to a probe
 * of an earlier latch, one that a person lifted before it came back ({@link Pass}).
 *
 * <p>A host that is not blocked is forgotten once unused for the idle time given to {@link #sweep}, or sooner, past
 * the cap, when its window holds no 403 ({@link PerHost}); a blocked host is kept however long: only a person or a
 * probe lifts the latch.
 *
 * <p>Time is passed in (nanoseconds of a monotonic source). Thread-safe: each host's state is guarded by itself,
 * and a host that is not blocked and has no 403 in its window is answered without a lock.
 */
public final class ForbiddenLatch {

    /** What the latch says of a call to a host. */
    public enum Verdict {
        /** The host is not blocked. */
        GO,
        /** The host is blocked and this call is its one probe: record its answer with {@code probe = true}. */
        PROBE,
        /** The host is blocked: no traffic. */
        REFUSE
    }

    /**
     * What the latch said of one call, given back with its answer. A probe's pass is its own object: the latch
     * knows its one probe by it, so that the answer to a probe of a latch since lifted, which comes back after the
     * host latched anew, is not taken for the new latch's probe.
     */
    public static final class Pass {
        /** A call to a host that is not blocked. */
        public static final Pass GO = new Pass(Verdict.GO);
        static final Pass REFUSE = new Pass(Verdict.REFUSE);

        private final Verdict verdict;

        private Pass(Verdict verdict) {
            this.verdict = verdict;
        }

        public Verdict verdict() {
            return verdict;
        }

        @Override
        public String toString() {
            return verdict.toString();
        }
    }

    /**
     * A change of a host's latch, for the log line and the listener.
     *
     * @param host    the host
     * @param blocked true when the host latched, false when a probe lifted it
     * @param reason  why
     * @param closing which closing of the host's latch it is, or lifts: told only while it is the current one
     */
    public record Change(String host, boolean blocked, String reason, long closing) {
    }

    /**
     * One host's history. The last {@code window} answers are a ring of flags; {@code blocked}, {@code full} and
     * {@code forbiddenInWindow} are volatile so that the common case, a host with no 403 in its window, is read
     * without the lock (see {@link #record}).
     */
    private static final class HostState extends PerHost.Entry {
        final boolean[] recent;
        int next;
        volatile boolean full;
        volatile int forbiddenInWindow;
        int consecutive;
        volatile boolean blocked;
        /**
         * The latest closing's number, from the latch's one counter ({@link ForbiddenLatch#closings}): names each closing, so that
         * one is told, or lifted, only as itself, even after the host was forgotten and came back.
         */
        long closing;
        /** When the latch closed, or where another instance found it (a probe does not move it). */
        long latchedAt;
        /** When the probe interval counts from: the latch's closing, then each probe answered 403. */
        long blockedAt;
        /** The latch's probe out now, or {@code null}. */
        Pass probe;

        HostState(int window, long now) {
            super(now);
            recent = new boolean[window];
        }

        /** Never a blocked host; past the cap, only one with no 403 in its window. */
        @Override
        boolean mayGo(PerHost.Reason reason) {
            return !blocked && probe == null && (reason != PerHost.Reason.CAP || forbiddenInWindow == 0);
        }
    }

    private final int consecutive;
    private final double ratio;
    private final int window;
    private final long probeIntervalNanos;
    private final PerHost<HostState> hosts;
    /** Numbers every closing of every host's latch: a number never comes twice, though a host's state may. */
    private final AtomicLong closings = new AtomicLong();

    /**
     * @param consecutive        403s in a row that latch
     * @param ratio              share of 403s in a full window that latches (0 to 1)
     * @param window             responses the ratio is taken over
     * @param probeIntervalNanos after this long a blocked host lets one call through as a probe; 0 for never
     * @param maxHosts           past this many hosts, those with no 403 in their window are forgotten
     */
    public ForbiddenLatch(int consecutive, double ratio, int window, long probeIntervalNanos, int maxHosts) {
        this.consecutive = consecutive;
        this.ratio = ratio;
        this.window = window;
        this.probeIntervalNanos = probeIntervalNanos;
        this.hosts = new PerHost<>(maxHosts);
    }

    /**
     * What a call to {@code host} at {@code now} may do. When a probe interval is set and has passed, lets exactly
     * one call through as the probe and refuses the others until its answer is recorded or {@link #probeEnded}.
     * Give what it returns back with the call's answer.
     */
    public Pass check(String host, long now) {
        HostState state = hosts.get(host);
        if (state == null || !state.blocked) {
            return Pass.GO;
        }
        synchronized (state) {
            if (!state.blocked) {
                return Pass.GO;
            }
            if (probeIntervalNanos > 0 && state.probe == null && now - state.blockedAt >= probeIntervalNanos) {
                state.probe = new Pass(Verdict.PROBE);
                return state.probe;
            }
            return Pass.REFUSE;
        }
    }

    /**
     * The probe {@code probe} of {@code host} ended without an answer (a transport failure, or it was never sent):
     * the slot is free, and the next call after the interval probes again. A no-op for a probe of a latch since lifted,
     * and for any other pass.
     */
    public void probeEnded(String host, Pass probe) {
        HostState state = hosts.get(host);
        if (state != null) {
            synchronized (state) {
                if (state.probe == probe) {
                    state.probe = null;
                }
            }
        }
    }

    /**
     * Records a response from {@code host}.
     *
     * @param pass  what {@link #check} said of the call
     * @return the change, if this response latched the host or, as its probe, lifted it; {@code null} otherwise
     */
    public Change record(String host, boolean forbidden, Pass pass, long now) {
        while (true) {
            HostState state = hosts.get(host);   // first: the capturing lambda allocates
            if (state == null) {
                state = hosts.getOrCreate(host, h -> new HostState(window, now), now);
            }
            state.touch(now);
            // A success into a full window holding no 403 changes nothing: the answer it pushes out was a success
            // too, and the streak is already 0. Such a record is ordered before any 403 recorded meanwhile.
            if (!forbidden && state.full && state.forbiddenInWindow == 0 && !state.blocked) {
                return null;
            }
            synchronized (state) {
                if (!state.retired()) {
                    return recordLocked(state, host, forbidden, pass, now);
                }
            }   // forgotten meanwhile (it was not blocked): record into the fresh one
        }
    }

    private Change recordLocked(HostState state, String host, boolean forbidden, Pass pass, long now) {
        if (state.blocked) {
            if (pass != state.probe) {
                // Admitted before the latch, or a probe of a latch since lifted: only unblock or this latch's probe
                // may lift it.
                return null;
            }
            state.probe = null;
            if (forbidden) {
                state.blockedAt = now;
                return null;
            }
            reset(state);
            return new Change(host, false, "the probe was answered with a status other than 403", state.closing);
        }
        int counted = state.forbiddenInWindow;
        if (state.full && state.recent[state.next]) {
            counted--;
        }
        state.recent[state.next] = forbidden;
        state.next = (state.next + 1) % window;
        state.forbiddenInWindow = counted + (forbidden ? 1 : 0);
        if (state.next == 0) {
            state.full = true;   // the ring has gone round once: from now on each answer pushes one out
        }
        state.consecutive = forbidden ? state.consecutive + 1 : 0;
        String reason = null;
        if (state.consecutive >= consecutive) {
            reason = state.consecutive + " consecutive 403s";
        } else if (state.full && state.forbiddenInWindow >= ratio * window) {
            reason = state.forbiddenInWindow + " of the last " + window + " responses were 403";
        }
        if (reason == null) {
            return null;
        }
        state.blocked = true;
        state.closing = closings.incrementAndGet();
        state.blockedAt = now;
        state.latchedAt = now;
        return new Change(host, true, reason, state.closing);
    }

    /** Whether {@code host} is latched now. */
    public boolean blocked(String host) {
        HostState state = hosts.get(host);
        return state != null && state.blocked;
    }

    /** The hosts latched now, sorted. */
    public Set<String> blockedHosts() {
        Set<String> blocked = new TreeSet<>();
        hosts.forEach((host, state) -> {
            if (state.blocked) {
                blocked.add(host);
            }
        });
        return blocked;
    }

    /**
     * Latches {@code host} at {@code now} without any answer of its own: another instance of the service saw them,
     * and its latch closed at {@code since} (on this latch's clock). A probe interval counts from {@code now}.
     * Returns the closing ({@link Change#closing}), or 0 if it was blocked already.
     */
    public long block(String host, long since, long now) {
        while (true) {
            HostState state = hosts.getOrCreate(host, h -> new HostState(window, now), now);
            state.touch(now);
            synchronized (state) {
                if (state.retired()) {
                    continue;   // forgotten meanwhile: latch the fresh one
                }
                if (state.blocked) {
                    return 0;
                }
                state.blocked = true;
                state.closing = closings.incrementAndGet();
                state.blockedAt = now;
                state.latchedAt = since;
                return state.closing;
            }
        }
    }

    /** Forgets the hosts that are not blocked and have had no answer for {@code idleNanos} at {@code now}. */
    public void sweep(long now, long idleNanos) {
        hosts.sweep(now, idleNanos);
    }

    /** How many hosts have a history here. */
    int size() {
        return hosts.size();
    }

    /**
     * Lifts the latch for {@code host} if it closed no later than {@code at}: an unblock made before a latch closed
     * was not about it. Returns the closing it lifted ({@link Change#closing}), or 0.
     */
    public long unblockIfLatchedBy(String host, long at) {
        HostState state = hosts.get(host);
        if (state == null) {
            return 0;
        }
        synchronized (state) {
            if (!state.blocked || state.latchedAt - at > 0) {
                return 0;
            }
            reset(state);
            return state.closing;
        }
    }

    /**
     * Runs {@code task} if {@code host} is latched by {@code closing} ({@link Change#closing}), holding the host's lock,
     * so that no unblock, nor another closing, comes between the look and the task. Returns whether it ran.
     * {@code task} must be short and must not wait: it tells the latch's closing (a log line, the protection listener,
     * the fleet), which a listener hears quickly, as it is asked to.
     */
    public boolean whileLatched(String host, long closing, Runnable task) {
        HostState state = hosts.get(host);
        if (state == null || !state.blocked) {
            return false;
        }
        synchronized (state) {
            if (!state.blocked || state.closing != closing) {
                return false;
            }
            task.run();
            return true;
        }
    }

    /** Lifts the latch for {@code host} and forgets its history; returns the closing lifted, or 0 if not blocked. */
    public long unblock(String host) {
        HostState state = hosts.get(host);
        if (state == null) {
            return 0;
        }
        synchronized (state) {
            if (!state.blocked) {
                return 0;
            }
            reset(state);
            return state.closing;
        }
    }

    private static void reset(HostState state) {
        state.probe = null;
        state.consecutive = 0;
        state.forbiddenInWindow = 0;
        state.next = 0;
        state.full = false;
        Arrays.fill(state.recent, false);
        state.blocked = false;
    }
}
