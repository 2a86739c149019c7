package dev.resilienthttp.core.spi;

import java.util.function.BiConsumer;

/**
 * Instruments one call, as its {@link Instrumentation} made it for the call. The client calls it in this order:
 * <pre>{@code
 * ( attemptStarting  attemptEnded )*   -- one pair per network attempt, numbered from 1, sequential
 * callEnded                            -- exactly once, last (but see cancellation below)
 * }</pre>
 * Every {@code attemptStarting} is followed by exactly one {@code attemptEnded} for the same attempt before the next
 * attempt starts, whatever the attempt met (a response, a transport failure, an interrupt, a cancellation). A call
 * refused before its first attempt (a local protection, a closed client) has no pair, only {@code callEnded}.
 *
 * <p>Threads: {@code send} makes every call on the caller's thread. {@code sendAsync} starts the first attempt on
 * the caller's thread and later ones on a client thread (the one that ended the previous attempt, or the timer that
 * ends a wait); attempts end on the thread that completed them. The attempt events of one call never overlap, and
 * each happens after the previous one. One exception: when the caller cancels a {@code sendAsync} future,
 * {@code callEnded} comes on the cancelling thread and may run while, or before, the attempt in flight ends.
 * No method may block; what one throws is logged and ignored (a throw from {@code attemptStarting} also drops the
 * headers it set for that attempt).
 */
public interface CallInstrumentation {

    /** Leaves the call alone: no method is called, and the call costs what it would without instrumentation. */
    CallInstrumentation NONE = new CallInstrumentation() {
        @Override
        public void attemptStarting(int attempt, BiConsumer<String, String> header) {
        }

        @Override
        public void attemptEnded(AttemptEnd end) {
        }
    };

    /**
     * Attempt {@code attempt} (1-based) is about to be sent. {@code header.accept(name, value)} sets a header on this
     * attempt's request only, replacing one of the same name (case-insensitively); the caller's request is not
     * changed, and the next attempt starts without it. Names the JDK sets itself ({@code Connection},
     * {@code Content-Length}, {@code Expect}, {@code Host}, {@code Upgrade}), names that are not HTTP tokens and
     * values with line breaks are refused with an {@link IllegalArgumentException}. The setter works only until this
     * method returns.
     */
    void attemptStarting(int attempt, BiConsumer<String, String> header);

    /** The attempt last started ended as {@code end} says. */
    void attemptEnded(AttemptEnd end);

    /**
     * The call ended: the caller has, or is about to have, its response or its exception.
     *
     * @param attempts the attempts made, 0 if none
     * @param failure  what the call ended with ({@link dev.resilienthttp.core.HttpFailureException} for a failure the
     *                 policy judged, or what stopped the call), or {@code null} when it succeeded
     */
    default void callEnded(int attempts, Throwable failure) {
    }
}
