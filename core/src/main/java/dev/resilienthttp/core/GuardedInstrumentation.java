package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.ListenerGuard;
import dev.resilienthttp.core.internal.Redactor;
import dev.resilienthttp.core.spi.AttemptEnd;
import dev.resilienthttp.core.spi.CallInstrumentation;
import dev.resilienthttp.core.spi.Instrumentation;

import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One call's {@link CallInstrumentation}, as {@link RealCall} drives it: each event built and guarded here, so that
 * the call only asks whether it has one. A call without one holds {@code null} and builds nothing.
 */
final class GuardedInstrumentation {
    private static final String WHO = "an Instrumentation";
    private static final String GOES_ON = "the call goes on";

    private final CallInstrumentation call;

    private GuardedInstrumentation(CallInstrumentation call) {
        this.call = call;
    }

    /**
     * Asks {@code instrumentation} for the call's, on the caller's thread.
     *
     * @param instrumentation the client's, or {@code null}
     * @return {@code null} when the client has none, or it leaves this call alone
     */
    static GuardedInstrumentation start(Instrumentation instrumentation, HttpRequest request, Redactor redactor) {
        if (instrumentation == null) {
            return null;
        }
        CallInstrumentation call = ListenerGuard.get(() -> instrumentation.callStarted(request,
                redactor.uri(request.uri())), CallInstrumentation.NONE, WHO, GOES_ON);
        return call == null || call == CallInstrumentation.NONE ? null : new GuardedInstrumentation(call);
    }

    /**
     * Attempt {@code number} starts: returns {@code sent} with the headers the instrumentation sets on it, or
     * {@code sent} itself when it sets none or throws.
     */
    HttpRequest attemptStarting(int number, HttpRequest sent) {
        AttemptHeaders headers = new AttemptHeaders();
        boolean set = ListenerGuard.get(() -> {
            call.attemptStarting(number, headers);
            return Boolean.TRUE;
        }, Boolean.FALSE, WHO, GOES_ON);
        HttpRequest outgoing = headers.onto(sent);
        return set ? outgoing : sent;
    }

    /** Attempt {@code number} got a response the policy calls a success. */
    void succeeded(int number, int generation, Duration waited, Duration took, int status) {
        ended(new AttemptEnd(number, generation, waited, took, status, null, Outcome.PROCESSED, null, ""));
    }

    /**
     * An attempt failed as its timeline entry says.
     *
     * @param exception the transport failure as the JDK threw it, or {@code null} for a status failure
     */
    void failed(FailureReport.Attempt attempt, int generation, Throwable exception) {
        ended(new AttemptEnd(attempt.number(), generation, attempt.delayBefore(), attempt.duration(),
                attempt.status(), attempt.kind(), attempt.outcome(), exception, attempt.exceptionClass()));
    }

    /**
     * Attempt {@code number} was stopped from outside it, by {@code cause}: an interrupt, a cancellation, a body
     * handler's exception. It has no classification, and the request may have reached the server.
     */
    void stopped(int number, int generation, Duration waited, Duration took, Throwable cause) {
        ended(new AttemptEnd(number, generation, waited, took, 0, null, Outcome.MAYBE_PROCESSED, cause,
                cause.getClass().getName()));
    }

    /** The call ended, with {@code failure}, or {@code null} for a success. */
    void callEnded(int attempts, Throwable failure) {
        ListenerGuard.run(() -> call.callEnded(attempts, failure), WHO, GOES_ON);
    }

    private void ended(AttemptEnd end) {
        ListenerGuard.run(() -> call.attemptEnded(end), WHO, GOES_ON);
    }
}
