package dev.resilienthttp.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What one call tells the world as it goes: the client's listener, the instrumentation if there is one, and the
 * log. The call decides; this says it, in the order {@link HttpEventListener} documents, and says the call's end
 * exactly once.
 */
final class CallEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientHttpClient.class);

    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(CallEvents.class, "ended", boolean.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private final ClientContext context;
    private final HttpRequest request;
    /** The call's instrumentation, or {@code null}: without one, an attempt builds nothing for it. */
    private final GuardedInstrumentation instrumented;
    /** Set by the call's one terminal event; read and changed through {@link #ENDED}. */
    @SuppressWarnings("unused")
    private volatile boolean ended;

    /** Tells that the call of {@code request} started; on the caller's thread, whose context the instrumentation reads. */
    CallEvents(ClientContext context, HttpRequest request) {
        this.context = context;
        this.request = request;
        context.listener().callStarted(request);
        this.instrumented = GuardedInstrumentation.start(context.instrumentation(), request, context.redactor());
    }

    /** Attempt {@code number} starts: returns the request to send, with the instrumentation's headers if any. */
    HttpRequest attemptStarting(int number, HttpRequest sent) {
        context.listener().attemptStarted(request, number);
        return instrumented == null ? sent : instrumented.attemptStarting(number, sent);
    }

    /**
     * Attempt {@code number} got {@code response}, which the policy calls a success.
     *
     * @param afterStale whether the attempt before it met a stale connection
     */
    void attemptSucceeded(int number, int generation, Duration waited, Duration took, HttpResponse<?> response,
                          boolean afterStale) {
        context.listener().attemptSucceeded(request, number, response);
        if (instrumented != null) {
            instrumented.succeeded(number, generation, waited, took, response.statusCode());
        }
        if (afterStale) {
            LOG.atDebug().addKeyValue("attempt", number).addKeyValue("method", request.method())
                    .addKeyValue("uri", context.redactor().uri(request.uri())).log("stale connection recovered");
            context.listener().staleConnectionRecovered(request, number);
        }
    }

    /**
     * The attempt {@code attempt} describes failed: with a status, or in transport with {@code failure}.
     *
     * @param what one line for the log: the status, or the exception's class and message
     */
    void attemptFailed(FailureReport.Attempt attempt, int generation, IOException failure, String what) {
        LOG.atDebug().addKeyValue("attempt", attempt.number()).addKeyValue("kind", attempt.kind())
                .addKeyValue("outcome", attempt.outcome()).addKeyValue("method", request.method())
                .addKeyValue("uri", context.redactor().uri(request.uri()))
                .log("attempt failed: {}", context.redactor().text(what, FailureReport.MAX_MESSAGE));
        context.listener().attemptFailed(request, attempt.number(), attempt.kind(), attempt.status(), failure);
        if (instrumented != null) {
            instrumented.failed(attempt, generation, failure);
        }
    }

    /** Something from outside the attempt stopped it ({@code cause}: a cancel, an interrupt, a handler's exception). */
    void attemptStopped(int number, int generation, Duration waited, Duration took, Throwable cause) {
        if (instrumented != null) {
            instrumented.stopped(number, generation, waited, took, cause);
        }
    }

    /** Whether the call's end has been told. */
    boolean callEnded() {
        return ended;
    }

    /** The call ended with {@code response}, after {@code attempts} attempts. */
    void callSucceeded(HttpResponse<?> response, int attempts) {
        if (first()) {
            context.listener().callSucceeded(request, response, attempts);
            if (instrumented != null) {
                instrumented.callEnded(attempts, null);
            }
        }
    }

    /**
     * {@code error} ended the call: {@code callFailed} for the policy's {@link HttpFailureException}, {@code callEnded}
     * for anything else.
     */
    void callEnded(Throwable error, int attempts) {
        if (!first()) {
            return;
        }
        if (error instanceof HttpFailureException failure) {
            LOG.atLevel(context.failureLogLevel()).addKeyValue("kind", failure.kind())
                    .addKeyValue("attempts", failure.report().attempts())
                    .addKeyValue("outcome", failure.report().outcome())
                    .log("call failed: {}", failure.report().failReason());
            context.listener().callFailed(request, failure.report());
        } else {
            context.listener().callEnded(request, attempts, error);
        }
        if (instrumented != null) {
            instrumented.callEnded(attempts, error);
        }
    }

    /** Whether this is the call's first terminal event: there is exactly one. */
    private boolean first() {
        return ENDED.compareAndSet(this, false, true);
    }
}
