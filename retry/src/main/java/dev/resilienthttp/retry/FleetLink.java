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
 * <p>Hosts are {@code host:port}; a malformed one is refused with {@link IllegalArgumentException}. Thread-safe.
 */
public final class FleetLink implements AutoCloseable {
    private final Protections protections;
    private final FleetChannel channel;

    FleetLink(Protections protections, FleetChannel channel) {
        this.protections = protections;
        this.channel = channel;
    }

    /**
     * Latches {@code host} BLOCKED as the 403 latch does, until {@link RetryPolicy#unblock} here or a {@link #lift}.
     * {@code reason} (which instance, when, why) goes into the log line, the refused calls' reports and the MBean.
     * Does nothing when the policy has no 403 latch.
     *
     * @return whether the host was not blocked before
     */
    public boolean block(String host, String reason) {
        return protections.blockRemotely(Origin.normaliseHostPort(host), Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Holds every request to {@code host} until {@code until} (wall clock), never longer than the policy's
     * {@code maxRetryAfter} from now, as a {@code Retry-After} would. A time already past does nothing; a hold that
     * ends earlier than the one in force does not shorten it.
     *
     * @return whether the hold was applied
     */
    public boolean hold(String host, Instant until) {
        return protections.holdRemotely(Origin.normaliseHostPort(host), Objects.requireNonNull(until, "until"));
    }

    /**
     * Lifts the 403 latch for {@code host} because a person unblocked it on another instance; {@code reason} (who,
     * where, when) goes into the log line.
     *
     * @return whether the host was blocked
     */
    public boolean lift(String host, String reason) {
        return protections.liftRemotely(Origin.normaliseHostPort(host), Objects.requireNonNull(reason, "reason"));
    }

    /** Detaches the channel: the policy tells it nothing more, and another may be linked. Closing twice is harmless. */
    @Override
    public void close() {
        protections.unlink(channel);
    }
}
