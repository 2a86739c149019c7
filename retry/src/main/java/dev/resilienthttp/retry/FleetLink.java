package dev.resilienthttp.retry;

import dev.resilienthttp.core.internal.Origin;
import dev.resilienthttp.retry.internal.Protections;

import java.time.Instant;
import java.util.Objects;

/**
 * What the other instances of a service may tell a {@link RetryPolicy}, given by {@link RetryPolicy#link} to the
 * one {@link FleetChannel} attached to it. Its effects are the policy's own protections, as if the policy had seen
 * the traffic itself: a latched host refuses calls with {@code BLOCKED} ({@code NOT_SENT}), a held host makes calls
 * wait. None of them is told back to the channel, and the {@link ProtectionListener} hears them as
 * {@code ...Remotely}.
 *
 * <p>Times are the wall clock of the instance that wrote them; they are compared with this policy's wall clock, so
 * the instances' clocks should agree within a second. Once {@link #close closed}, a link changes nothing and its
 * methods return {@code false}: a fleet's reader that applies a last record while it stops is harmless.
 *
 * <p>Hosts are {@code host:port}; a malformed one is refused with {@link IllegalArgumentException}. Thread-safe.
 */
public final class FleetLink implements AutoCloseable {
    private final Protections protections;
    private final FleetChannel channel;
    private volatile boolean closed;

    FleetLink(Protections protections, FleetChannel channel) {
        this.protections = protections;
        this.channel = channel;
    }

    /**
     * Latches {@code host} BLOCKED as the 403 latch does, until {@link RetryPolicy#unblock} here or a {@link #lift}.
     * {@code reason} (which instance, when, why) goes into the log line, the refused calls' reports and the MBean;
     * {@code since} is when the other instance's latch closed, and a lift made before it does not lift this one.
     * Does nothing when the policy has no 403 latch.
     *
     * @return whether the host was not blocked before
     */
    public boolean block(String host, String reason, Instant since) {
        String hostPort = Origin.normaliseHostPort(host);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
        return !closed && protections.blockRemotely(hostPort, reason, since);
    }

    /**
     * Holds every request to {@code host} until {@code until} (wall clock), never longer than the policy's
     * {@code maxRetryAfter} from now, as a {@code Retry-After} would. A time already past does nothing; a hold that
     * ends earlier than the one in force does not shorten it.
     *
     * @return whether the hold was applied
     */
    public boolean hold(String host, Instant until) {
        String hostPort = Origin.normaliseHostPort(host);
        Objects.requireNonNull(until, "until");
        return !closed && protections.holdRemotely(hostPort, until);
    }

    /**
     * Lifts the 403 latch for {@code host} because a person unblocked it at {@code at} on an instance of the service
     * (this one's own unblock, read back, included), unless the latch closed after {@code at}: that latch is newer
     * than the person's word. {@code reason} (who, where, when) goes into the log line. Never told to the channel.
     *
     * @return whether the host was blocked and is lifted
     */
    public boolean lift(String host, String reason, Instant at) {
        String hostPort = Origin.normaliseHostPort(host);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        return !closed && protections.liftRemotely(hostPort, reason, at);
    }

    /**
     * Detaches the channel: the policy tells it nothing more, this link changes nothing more, and another may be
     * linked. Closing twice is harmless.
     */
    @Override
    public void close() {
        closed = true;
        protections.unlink(channel);
    }
}
