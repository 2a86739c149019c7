package dev.resilienthttp.core.spi;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one network attempt ended, as a {@link CallInstrumentation} hears it: what the call's timeline records of it
 * (status, kind, outcome, exception, the wait before it) and the connection generation it was sent on. Core builds
 * it; instrumentations read it.
 *
 * <p>Three ends: a <em>success</em> (a response the policy calls one: no kind, no exception); a <em>failure</em>
 * the client classified (a kind: a failed status, or a transport failure with its exception); or a <em>stop</em>
 * from outside the attempt (no kind, and the exception that stopped it: an {@code InterruptedException}, a
 * {@code CancellationException}, or what a body handler threw).
 */
public final class AttemptEnd {
    private final int number;
    private final int generation;
    private final Duration waitedBefore;
    private final Duration duration;
    private final int statusCode;
    private final FailureKind kind;
    private final Outcome outcome;
    private final Throwable exception;
    private final String exceptionClass;

    /**
     * @param number         the 1-based attempt number
     * @param generation     the number of the connection generation the attempt was sent on (1 for the client's first)
     * @param waitedBefore   how long the call waited before this attempt ({@link Duration#ZERO} for the first)
     * @param duration       how long the attempt took, on a monotonic source
     * @param statusCode     the response's status, or 0 when there was no response
     * @param kind           why the attempt failed, or {@code null} for a success or a stop
     * @param outcome        whether the server may have acted on the request
     * @param exception      the transport failure or what stopped the attempt, or {@code null}
     * @param exceptionClass the class of the most specific cause of {@code exception}, as the failure report names
     *                       it, or {@code ""} with no exception
     */
    public AttemptEnd(int number, int generation, Duration waitedBefore, Duration duration, int statusCode,
                      FailureKind kind, Outcome outcome, Throwable exception, String exceptionClass) {
        if (number < 1) {
            throw new IllegalArgumentException("attempt numbers are 1-based, got " + number);
        }
        this.number = number;
        this.generation = generation;
        this.waitedBefore = Objects.requireNonNull(waitedBefore, "waitedBefore");
        this.duration = Objects.requireNonNull(duration, "duration");
        this.statusCode = statusCode;
        this.kind = kind;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.exception = exception;
        this.exceptionClass = Objects.requireNonNull(exceptionClass, "exceptionClass");
    }

    /** The 1-based attempt number: the first attempt is 1, its first retry 2. */
    public int number() {
        return number;
    }

    /** The number of the connection generation the attempt was sent on: 1 for the client's first, then up. */
    public int generation() {
        return generation;
    }

    /** How long the call waited before this attempt: {@link Duration#ZERO} for the first. */
    public Duration waitedBefore() {
        return waitedBefore;
    }

    /** How long the attempt took, from just before it was sent to its classification. */
    public Duration duration() {
        return duration;
    }

    /** The response's status code, or 0 when the attempt got none. */
    public int statusCode() {
        return statusCode;
    }

    /** Why the attempt failed; empty for a success or a stop. */
    public Optional<FailureKind> kind() {
        return Optional.ofNullable(kind);
    }

    /** Whether the server may have acted on the request: {@link Outcome#MAYBE_PROCESSED} for a stop. */
    public Outcome outcome() {
        return outcome;
    }

    /** The transport failure as the JDK threw it, or what stopped the attempt; empty otherwise. */
    public Optional<Throwable> exception() {
        return Optional.ofNullable(exception);
    }

    /**
     * The class name of the most specific cause of {@link #exception()} (for a reset, {@code java.net.SocketException}
     * rather than the {@code IOException} the JDK wraps it in), or {@code ""} with no exception.
     */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** Whether the policy calls the attempt a success. */
    public boolean succeeded() {
        return kind == null && exception == null;
    }

    @Override
    public String toString() {
        return "attempt " + number + (succeeded() ? ": success"
                : kind != null ? ": " + kind : ": stopped by " + exceptionClass);
    }
}
