package dev.resilienthttp.core;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Hears what a {@link ResilientHttpClient} does, for metrics and tracing. Every method does nothing by default;
 * override the ones you need. Methods are called on the thread that did the work: the caller's for {@code send};
 * for {@code sendAsync}, the caller's up to the first attempt and then one of the client's worker threads (on JDK 17
 * with fewer than three CPUs, the thread the JDK made to complete the attempt), never a thread that serves every call
 * (the JDK's selector thread, the JVM's common pool, the library's retry timer and deadline watchdog), unless the
 * caller chose one (a {@code sendAsync} made, or a future given up, on such a thread) or gave the client an executor
 * of its own. They should return quickly and should not throw: an exception from a listener is logged and otherwise
 * ignored. One that blocks holds up its own call; with as many blocked at once as the client has worker threads (64),
 * the other {@code sendAsync} calls wait for one too, though their deadlines still close their connections on time.
 *
 * <p>Order and pairing, for each call:
 * <pre>{@code
 * callStarted
 *   ( attemptStarted  (attemptSucceeded | attemptFailed) )*   -- one pair per network attempt, numbered from 1
 *   [staleConnectionRecovered]                                 -- right after the attemptSucceeded it is about
 * (callSucceeded | callFailed | callEnded)                     -- exactly one, last
 * }</pre>
 * {@code callFailed} carries the policy's verdict; {@code callEnded} is for a call stopped from outside it:
 * interrupted, cancelled, met a closed client, or broken by an exception from a body handler. A call stopped that
 * way while an attempt was in flight (the caller's thread interrupted during {@code send}, a {@code sendAsync} future
 * given up: cancelled, or completed by the caller, as {@code orTimeout} does; a body handler that threw) ends with {@code callEnded} right after that attempt's
 * {@code attemptStarted}: the attempt has no end event of its own. (An
 * {@link dev.resilienthttp.core.spi.Instrumentation} does hear such an attempt end.)
 * {@link #generationRotated} is about the client, not a call: it may come between any two events.
 *
 * <p>Every event of a call carries the same {@link HttpRequest} object, one of the call's own: the caller's request
 * as it goes out (its {@code User-Agent} and timeout added when it had none), never the caller's object itself. A
 * listener can keep per-call state by that object's identity, even when a caller sends one request object many times
 * at once.
 */
public interface HttpEventListener {

    /** The listener that ignores everything. */
    HttpEventListener NONE = new HttpEventListener() {
    };

    /** A call was handed to the client. */
    default void callStarted(HttpRequest request) {
    }

    /** Attempt {@code attempt} (1-based) is about to be sent. */
    default void attemptStarted(HttpRequest request, int attempt) {
    }

    /** Attempt {@code attempt} got a response the policy calls a success. */
    default void attemptSucceeded(HttpRequest request, int attempt, HttpResponse<?> response) {
    }

    /**
     * Attempt {@code attempt} failed. {@code status} is the response status for a status failure, 0 otherwise;
     * {@code cause} is the transport exception, or {@code null} for a status failure.
     */
    default void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
    }

    /** An attempt succeeded right after the previous one met a stale connection. */
    default void staleConnectionRecovered(HttpRequest request, int attempt) {
    }

    /** The call ended with a response the policy calls a success, after {@code attempts} attempts. */
    default void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
    }

    /** The call failed; the report says how. */
    default void callFailed(HttpRequest request, FailureReport report) {
    }

    /**
     * The call was stopped before the policy could say how it went: the caller's thread was interrupted, the
     * future was given up (cancelled, or completed by the caller), the client was closed, or a body handler threw.
     *
     * @param attempts the attempts made, 0 if none
     * @param cause    what stopped it ({@code InterruptedException}, {@code CancellationException}, what the caller
     *                 completed the future with ({@code orTimeout}'s {@code TimeoutException}),
     *                 {@link ClientClosedException} for a closed client, or the handler's exception)
     */
    default void callEnded(HttpRequest request, int attempts, Throwable cause) {
    }

    /**
     * The client replaced its connection generation: new requests go on fresh connections from now on.
     *
     * @param retired the number of the generation retired (its in-flight requests finish on it)
     * @param current the number of the generation that replaced it
     * @param reason  why
     */
    default void generationRotated(int retired, int current, RotationReason reason) {
    }

    /**
     * The client was asked to replace its connection generation but kept it: the generation is younger than a
     * pooled connection must sit idle to be stale ({@code staleAfterIdle}), so the reset that asked says nothing
     * about the pool. At most one rotation per generation per that interval, whatever the server does.
     *
     * @param current the number of the generation kept
     * @param reason  what asked for the rotation
     */
    default void rotationSuppressed(int current, RotationReason reason) {
    }
}
