package dev.resilienthttp.fleet.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the records read from the control topic call for on this instance: the quorum rule and the expiry, as a pure
 * function of the records read so far and {@code now}. An instance knows its own records by its run (a nonce drawn at
 * each start), not by its instance id, which people choose and processes may share. A {@code BLOCKED} or {@code HOLD}
 * of this run's own counts towards a quorum but calls for nothing (it did that already: no echo). A {@code BLOCKED}
 * or {@code HOLD} past its expiry changes nothing.
 *
 * <ul>
 *   <li>{@code BLOCKED}: once {@code blockQuorum} distinct instances have reported the host blocked (each report
 *       unexpired, and none lifted since), latch it here, dated by the latest report.</li>
 *   <li>{@code HOLD}: once {@code holdQuorum} distinct instances hold the host, hold it until the latest time that
 *       that many of them agree on (the quorum-th latest end).</li>
 *   <li>{@code LIFT}: a person's unblock on any instance, this one included; forgets every report of the host being
 *       blocked from before it, and any read later, and lifts the latch here if it closed no later than the lift (the
 *       policy decides that). A {@code BLOCKED} written before the lift can reach the topic after it (an instance
 *       that latched while its path to the brokers was down sends it when the path comes back): it is the lifted
 *       latch, and calls for nothing. Never subject
 *       to a quorum, and never expired: a person's word on a latch that was there before it stays true. This run's
 *       own lift is applied too: a remote record read between the person's unblock and its own lift may have latched
 *       the host again, and lifting a host that is not latched does nothing.</li>
 *   <li>A tombstone (an operator's deletion of the host's record): no word on the host; every report of it is
 *       forgotten, and nothing is done to the policy.</li>
 * </ul>
 * Thread-safe; in practice one reader thread calls it.
 */
public final class Inbound {

    /** What to do to this instance's policy. */
    public sealed interface Action permits Block, Hold, Lift {
        /** The host it is about. */
        String host();
    }

    /**
     * Latch the host.
     *
     * @param host   the host
     * @param reason who, when, why
     * @param since  when the latest report's latch closed
     */
    public record Block(String host, String reason, Instant since) implements Action {
    }

    /**
     * Hold the host.
     *
     * @param host  the host
     * @param until the end
     */
    public record Hold(String host, Instant until) implements Action {
    }

    /**
     * Lift the latch on the host if it closed no later than {@code at}.
     *
     * @param host   the host
     * @param reason who, when
     * @param at     when the person unblocked it
     */
    public record Lift(String host, String reason, Instant at) implements Action {
    }

    private final String run;
    private final int blockQuorum;
    private final int holdQuorum;
    private final Map<String, Map<String, Signal>> blocks = new HashMap<>();
    private final Map<String, Map<String, Signal>> holds = new HashMap<>();
    /** Each host's latest {@code LIFT}: no report of a latch that closed before it counts. */
    private final Map<String, Instant> lifted = new HashMap<>();
    /**
     * Hosts with reports past which the expired ones are dropped: twice those left by the last drop, so one pass per
     * as many new hosts as are kept, and a host reported once (a hold on a tenant's subdomain) is not kept for ever.
     */
    private int dropExpiredAt = 1;

    /**
     * @param run         this instance's run: the records that carry it are its own
     * @param blockQuorum distinct instances whose {@code BLOCKED} latches a host here
     * @param holdQuorum  distinct instances whose {@code HOLD} holds a host here
     */
    public Inbound(String run, int blockQuorum, int holdQuorum) {
        this.run = run;
        this.blockQuorum = blockQuorum;
        this.holdQuorum = holdQuorum;
    }

    /** What {@code signal}, read at {@code now}, calls for here; empty for nothing. */
    public synchronized Optional<Action> read(Signal signal, Instant now) {
        dropExpired(now);
        String host = signal.host();
        if (signal.what() == Signal.What.LIFT) {
            Instant at = lifted.merge(host, signal.at(), (a, b) -> a.isAfter(b) ? a : b);
            Map<String, Signal> reports = blocks.get(host);
            if (reports != null) {
                reports.values().removeIf(report -> liftedBy(report, at));
            }
            return Optional.of(new Lift(host, "unblocked by hand on instance " + signal.instance() + " at "
                    + signal.at(), signal.at()));
        }
        if (signal.expired(now)) {
            return Optional.empty();
        }
        boolean own = !run.isEmpty() && run.equals(signal.run());
        if (signal.what() == Signal.What.BLOCKED) {
            if (liftedBy(signal, lifted.get(host))) {
                return Optional.empty();
            }
            List<Signal> reports = current(blocks, signal, now);
            if (own || reports.size() < blockQuorum) {
                return Optional.empty();
            }
            Signal latest = reports.get(0);
            for (Signal report : reports) {
                if (report.at().isAfter(latest.at())) {
                    latest = report;
                }
            }
            return Optional.of(new Block(host, describe(reports, latest), latest.at()));
        }
        List<Signal> reports = current(holds, signal, now);
        if (own || reports.size() < holdQuorum) {
            return Optional.empty();
        }
        reports.sort((a, b) -> b.until().compareTo(a.until()));
        return Optional.of(new Hold(host, reports.get(holdQuorum - 1).until()));
    }

    /** A tombstone for {@code host}: every report of it is forgotten. */
    public synchronized void forget(String host) {
        blocks.remove(host);
        holds.remove(host);
    }

    /** How many hosts have reports kept. For tests. */
    synchronized int hostsKept() {
        return blocks.size() + holds.size();
    }

    private void dropExpired(Instant now) {
        if (hostsKept() < dropExpiredAt) {
            return;
        }
        for (Map<String, Map<String, Signal>> reports : List.of(blocks, holds)) {
            reports.values().removeIf(byInstance -> {
                byInstance.values().removeIf(report -> report.expired(now));
                return byInstance.isEmpty();
            });
        }
        dropExpiredAt = 2 * hostsKept() + 1;
    }

    /** Whether {@code report}'s latch closed no later than the lift at {@code at} ({@code null}: none). */
    private static boolean liftedBy(Signal report, Instant at) {
        return at != null && !report.at().isAfter(at);
    }

    /** Files {@code signal} as its instance's latest report of its host; the host's reports still in force. */
    private static List<Signal> current(Map<String, Map<String, Signal>> reports, Signal signal, Instant now) {
        Map<String, Signal> byInstance = reports.computeIfAbsent(signal.host(), h -> new HashMap<>());
        byInstance.put(signal.instance(), signal);
        byInstance.values().removeIf(report -> report.expired(now));
        return new ArrayList<>(byInstance.values());
    }

    private static String describe(List<Signal> reports, Signal latest) {
        List<String> instances = new ArrayList<>();
        for (Signal report : reports) {
            instances.add(report.instance());
        }
        instances.sort(null);
        return (instances.size() == 1 ? "instance " : "instances ") + String.join(", ", instances) + " at "
                + latest.at() + (latest.reason().isEmpty() ? "" : ": " + latest.reason());
    }
}
