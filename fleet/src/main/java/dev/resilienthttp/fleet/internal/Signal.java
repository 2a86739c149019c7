package dev.resilienthttp.fleet.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of the control topic: what one instance of the service says of one host.
 *
 * @param what     the state it announces
 * @param host     the host, {@code host:port}, as the policy names it
 * @param instance the instance that wrote it, for people: several processes may share an id
 * @param run      the writer's run, a nonce each start draws: how an instance knows its own records ({@code ""} if
 *                 the record has none)
 * @param at       when it was written (the writer's wall clock)
 * @param expires  after this it changes nothing for a reader: a stale record cannot stop a fleet for ever
 * @param until    the end of a {@link What#HOLD}; {@code null} for the others
 * @param reason   why, one line ({@code ""} if none)
 */
public record Signal(What what, String host, String instance, String run, Instant at, Instant expires,
                     Instant until, String reason) {

    /** What a record announces. */
    public enum What {
        /** The writer's 403 latch closed on the host. */
        BLOCKED,
        /** A {@code Retry-After} told the writer to hold the host until {@code until}. */
        HOLD,
        /**
         * A person unblocked the host on the writer: every instance lifts its latch if it closed no later than the
         * record's {@code at}, however old the record (its expiry does not apply).
         */
        LIFT
    }

    /** Checks that a hold has its end and nothing else does. */
    public Signal {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(reason, "reason");
        if ((what == What.HOLD) != (until != null)) {
            throw new IllegalArgumentException("a HOLD, and only a HOLD, has an end: " + what + " until " + until);
        }
    }

    /** A record with no run: its writer's own reader cannot tell it from another run's. */
    public Signal(What what, String host, String instance, Instant at, Instant expires, Instant until, String reason) {
        this(what, host, instance, "", at, expires, until, reason);
    }

    /** Whether it is past its expiry at {@code now} (a {@link What#LIFT} still lifts older latches). */
    public boolean expired(Instant now) {
        return !now.isBefore(expires);
    }
}
