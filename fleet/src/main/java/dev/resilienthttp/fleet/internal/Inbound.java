package dev.resilienthttp.fleet.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the records read from the control topic call for on this instance: the quorum rule and the expiry, as a pure
 * function of the records read so far and {@code now}. A record of this instance's own counts towards a quorum but
 * calls for nothing (it did that already: no echo). A record past its expiry changes nothing.
 *
 * <ul>
 *   <li>{@code BLOCKED}: once {@code blockQuorum} distinct instances have reported the host blocked (each report
 *       unexpired, and none lifted since), latch it here.</li>
 *   <li>{@code HOLD}: once {@code holdQuorum} distinct instances hold the host, hold it until the latest time that
 *       that many of them agree on (the quorum-th latest end).</li>
 *   <li>{@code LIFT}: a person's unblock on any instance; forgets every report of the host being blocked and lifts
 *       the latch here. Never subject to a quorum: it is the action the operators asked for.</li>
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
     */
    public record Block(String host, String reason) implements Action {
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
     * Lift the latch on the host.
     *
     * @param host   the host
     * @param reason who, when
     */
    public record Lift(String host, String reason) implements Action {
    }

    private final String self;
    private final int blockQuorum;
    private final int holdQuorum;
    private final Map<String, Map<String, Signal>> blocks = new HashMap<>();
    private final Map<String, Map<String, Signal>> holds = new HashMap<>();

    /**
     * @param self        this instance's id: its own records call for nothing
     * @param blockQuorum distinct instances whose {@code BLOCKED} latches a host here
     * @param holdQuorum  distinct instances whose {@code HOLD} holds a host here
     */
    public Inbound(String self, int blockQuorum, int holdQuorum) {
        this.self = self;
        this.blockQuorum = blockQuorum;
        this.holdQuorum = holdQuorum;
    }

    /** What {@code signal}, read at {@code now}, calls for here; empty for nothing. */
    public synchronized Optional<Action> read(Signal signal, Instant now) {
        if (signal.expired(now)) {
            return Optional.empty();
        }
        String host = signal.host();
        boolean own = signal.instance().equals(self);
        switch (signal.what()) {
            case LIFT:
                blocks.remove(host);
                return own ? Optional.empty() : Optional.of(new Lift(host, "unblocked by hand on instance "
                        + signal.instance() + " at " + signal.at()));
            case BLOCKED: {
                List<Signal> reports = current(blocks, signal, now);
                if (own || reports.size() < blockQuorum) {
                    return Optional.empty();
                }
                return Optional.of(new Block(host, describe(reports)));
            }
            case HOLD: {
                List<Signal> reports = current(holds, signal, now);
                if (own || reports.size() < holdQuorum) {
                    return Optional.empty();
                }
                reports.sort((a, b) -> b.until().compareTo(a.until()));
                return Optional.of(new Hold(host, reports.get(holdQuorum - 1).until()));
            }
            default:
                throw new IllegalStateException("unknown " + signal.what());
        }
    }

    /** Files {@code signal} as its instance's latest report of its host; the host's reports still in force. */
    private static List<Signal> current(Map<String, Map<String, Signal>> reports, Signal signal, Instant now) {
        Map<String, Signal> byInstance = reports.computeIfAbsent(signal.host(), h -> new HashMap<>());
        byInstance.put(signal.instance(), signal);
        byInstance.values().removeIf(report -> report.expired(now));
        return new ArrayList<>(byInstance.values());
    }

    private static String describe(List<Signal> reports) {
        Signal latest = reports.get(0);
        List<String> instances = new ArrayList<>();
        for (Signal report : reports) {
            instances.add(report.instance());
            if (report.at().isAfter(latest.at())) {
                latest = report;
            }
        }
        instances.sort(null);
        return (instances.size() == 1 ? "instance " : "instances ") + String.join(", ", instances) + " at "
                + latest.at() + (latest.reason().isEmpty() ? "" : ": " + latest.reason());
    }
}
