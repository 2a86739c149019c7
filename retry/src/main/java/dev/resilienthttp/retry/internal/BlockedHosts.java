package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.internal.Origin;
import dev.resilienthttp.retry.ProtectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 403 latch as people and the other instances of the service see it: why and since when each host latched, the
 * log lines, the listener's events, and what is told to a linked fleet. The latch itself decides; this class only
 * says. A latch set or lifted from outside ({@link #blockRemotely}, {@link #liftRemotely}) is heard as remote and
 * never told back. Time is passed in (nanoseconds of a monotonic source); {@code clock} only dates the reasons.
 */
final class BlockedHosts {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.retry.RetryPolicy");

    private final ForbiddenLatch latch;
    private final ProtectionListener listener;
    private final FleetTie fleet;
    private final Clock clock;
    /** Why and since when each host latched, for a person to read: {@code since <instant>: <reason>}. */
    private final Map<String, Told> why = new ConcurrentHashMap<>();

    /** {@code latch} may be null: the policy has no 403 latch, and nothing is ever blocked. */
    BlockedHosts(ForbiddenLatch latch, ProtectionListener listener, FleetTie fleet, Clock clock) {
        this.latch = latch;
        this.listener = listener;
        this.fleet = fleet;
        this.clock = clock;
    }

    ForbiddenLatch.Pass check(String host, long now) {
        return latch == null ? ForbiddenLatch.Pass.GO : latch.check(host, now);
    }

    /** The refusal of a call to a blocked host, with why and since when. */
    Admission.Refuse refuse(String host) {
        listener.callRefused(host, FailureKind.BLOCKED);
        Told told = why.get(host);
        return new Admission.Refuse(FailureKind.BLOCKED, host + " answers 403 to nearly every call: this client is "
                + "blocked there" + (told == null ? "" : " (" + told.text() + ")") + "; a person must contact the API "
                + "operators, then call unblock(\"" + host + "\")");
    }

    void probeEnded(String host, ForbiddenLatch.Pass probe) {
        if (latch != null && probe.verdict() == ForbiddenLatch.Verdict.PROBE) {
            latch.probeEnded(host, probe);
        }
    }

    /** Records an answer from {@code host}: the change, if it latched the host or, as a probe, lifted it. */
    ForbiddenLatch.Change record(String host, boolean forbidden, ForbiddenLatch.Pass pass, long now) {
        return latch == null ? null : latch.record(host, forbidden, pass, now);
    }

    /** Says what {@link #record} changed, if anything: the log line, the listener, the fleet. */
    void announce(ForbiddenLatch.Change change) {
        if (change == null) {
            return;
        }
        String host = change.host();
        if (change.blocked()) {
            // Under the latch's lock, and only while it holds: a person's unblock since the latch closed was told
            // already, and a BLOCKED told after it would undo it, here (the listener, the log) and on the other
            // instances. The unblock then tells nothing either (lifted): nothing was told blocked.
            latch.whileLatched(host, change.closing(), () -> {
                liftedUntold(host, why.put(host, new Told(change.closing(), "since " + clock.instant() + ": "
                        + change.reason())));
                // The fleet first: a listener that unblocks the host (a person's click, on this thread) is told last.
                fleet.tell(channel -> channel.blocked(host, change.reason()));
                LOG.atError().addKeyValue("host", host).addKeyValue("reason", change.reason())
                        .log("{} is BLOCKED ({}): this client is refused there. Stop, and have a person contact the "
                                + "API operators; then call RetryPolicy.unblock(\"{}\")", host, change.reason(), host);
                listener.hostBlocked(host, change.reason());
            });
        } else {
            lifted(host, change.closing(), change.reason());   // a probe's lift stays here: each instance probes for itself
        }
    }

    /**
     * A person's unblock: lifts the latch here and tells a linked fleet, so that every instance resumes, even when
     * this one had nothing latched. Returns whether it was blocked here.
     */
    boolean unblock(String host) {
        String key = host;
        boolean named = true;
        try {
            key = Origin.normaliseHostPort(host);
        } catch (IllegalArgumentException notHostPort) {
            named = false;   // looked up as given, as before; no other instance can know such a host
        }
        long lifted = latch == null ? 0 : latch.unblock(key);
        if (lifted != 0) {
            lifted(key, lifted, "by hand");
        }
        if (named) {
            String told = key;
            fleet.tell(channel -> channel.unblocked(told));
        }
        return lifted != 0;
    }

    /** See {@link ForbiddenLatch#block}: {@code since} is when the other instance's latch closed. */
    boolean blockRemotely(String host, String reason, long since, long now) {
        long closing = latch == null ? 0 : latch.block(host, since, now);
        if (closing == 0) {
            return false;
        }
        latch.whileLatched(host, closing, () -> {   // as in announce: not once a person's unblock has come
            liftedUntold(host, why.put(host, new Told(closing, "since " + clock.instant() + ", told by another "
                    + "instance: " + reason)));
            LOG.atError().addKeyValue("host", host).addKeyValue("reason", reason).addKeyValue("remote", true)
                    .log("{} is BLOCKED, as another instance of this service found ({}): this client is refused "
                            + "there. Stop, and have a person contact the API operators; then call "
                            + "RetryPolicy.unblock(\"{}\") on any instance", host, reason, host);
            listener.hostBlockedRemotely(host, reason);
        });
        return true;
    }

    /** Lifts the latch if it closed no later than {@code at}, when the person unblocked the host elsewhere. */
    boolean liftRemotely(String host, String reason, long at) {
        if (latch == null) {
            return false;
        }
        long closing = latch.unblockIfLatchedBy(host, at);
        if (closing == 0) {
            if (latch.blockedHosts().contains(host)) {
                LOG.atInfo().addKeyValue("host", host).addKeyValue("remote", true)
                        .log("{} stays BLOCKED: the unblock ({}) was made before this latch closed", host, reason);
            }
            return false;
        }
        if (forget(host, closing)) {   // told blocked: tell the lift
            LOG.atWarn().addKeyValue("host", host).addKeyValue("remote", true).log("{} unblocked: {}", host, reason);
            listener.hostUnblockedRemotely(host);
        }
        return true;
    }

    Set<String> hosts() {
        return latch == null ? Set.of() : latch.blockedHosts();
    }

    /**
     * Forgets the hosts that are not blocked and have had no answer for {@code idleNanos} at {@code now}. A reason is
     * kept only while its latch was told closed and not yet lifted ({@link #announce}, {@link #lifted}), so none is
     * left behind to sweep: removing one here could make a lift that is being told tell nothing.
     */
    void sweep(long now, long idleNanos) {
        if (latch != null) {
            latch.sweep(now, idleNanos);
        }
    }

    /** How many hosts the latch keeps a history of. */
    int tracked() {
        return latch == null ? 0 : latch.size();
    }

    Map<String, String> details() {
        Map<String, String> details = new HashMap<>();
        hosts().forEach(host -> {
            Told told = why.get(host);
            details.put(host, told == null ? "" : told.text());
        });
        return details;
    }

    /**
     * Tells the lift of the latch's {@code closing}, if that closing was told: one lifted before it was told is told
     * neither, and a later closing, told meanwhile, is not taken for it.
     */
    private void lifted(String host, long closing, String how) {
        if (!forget(host, closing)) {
            return;
        }
        LOG.atWarn().addKeyValue("host", host).log("{} unblocked: {}", host, how);
        listener.hostUnblocked(host);
    }

    /**
     * A closing is being told, and {@code previous} is the one told before it, if any: that one was lifted (a closing
     * only follows a lift), and its lift is not told yet, or it would be gone. Tells it now, so that the listener
     * hears the host unblocked between the two; the lift's own telling then finds nothing to tell.
     */
    private void liftedUntold(String host, Told previous) {
        if (previous != null) {
            LOG.atWarn().addKeyValue("host", host).log("{} unblocked, then blocked again", host);
            listener.hostUnblocked(host);
        }
    }

    /** Forgets why {@code host} was blocked if it was told for {@code closing}; whether it was. */
    private boolean forget(String host, long closing) {
        Told told = why.get(host);
        return told != null && told.closing() == closing && why.remove(host, told);
    }

    /** What was told of a host's latch: which closing, and why and since when, for a person to read. */
    private record Told(long closing, String text) {
    }
}
