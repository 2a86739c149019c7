package dev.resilienthttp.testkit;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpEventListener;
import dev.resilienthttp.core.RotationReason;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link HttpEventListener} that writes every event down as one short line, in the order it heard them, and
 * checks each call's events against the order and pairing {@link HttpEventListener} documents.
 *
 * <pre>{@code
 * RecordingListener listener = new RecordingListener();
 * ResilientHttpClient client = ResilientHttpClient.builder().userAgent(...).listener(listener).build();
 * ...
 * listener.assertOrder();
 * assertThat(listener.events()).containsSubsequence("attemptFailed 1 CONNECTION_RESET", "callSucceeded 2");
 * }</pre>
 *
 * <p>The lines ({@link #events()}):
 * <pre>{@code
 * callStarted GET                       attemptStarted 1
 * attemptSucceeded 1 200                attemptFailed 1 CONNECTION_RESET   attemptFailed 1 SERVER_ERROR 503
 * staleConnectionRecovered 2            callSucceeded 2
 * callFailed SERVER_ERROR 3             callEnded InterruptedException 1
 * generationRotated 1->2 MAX_AGE        rotationSuppressed 2 STALE_CONNECTION
 * }</pre>
 *
 * <p>{@link #assertOrder()} tells calls apart by their {@link HttpRequest} object, of which the client gives each
 * call its own (calls made at once with one request object are told apart too). It checks only what the events
 * say; whether a call should have been retried is the test's to assert. Safe to use from every thread the client
 * calls it on.
 */
public final class RecordingListener implements HttpEventListener {
    private final List<String> events = new ArrayList<>();
    private final EventOrder order = new EventOrder();

    /** Makes a listener that has heard nothing yet. */
    public RecordingListener() {
    }

    /** Every event heard so far, one line each, in the order heard (all calls and the client's rotations). */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /**
     * Whether every call that started has had its last event. A cancelled {@code sendAsync} future completes
     * before its {@code callEnded} is told: wait for this ({@code Await.until}) before {@link #assertOrder()}.
     */
    public synchronized boolean allCallsEnded() {
        return order.allEnded();
    }

    /**
     * Checks that at least one call was heard and that every call's events follow {@link HttpEventListener}'s
     * order and pairing: {@code callStarted}; then per attempt {@code attemptStarted n} and one of
     * {@code attemptSucceeded n} or {@code attemptFailed n}, with n = 1, 2, … in turn;
     * {@code staleConnectionRecovered n} only right after {@code attemptSucceeded n}; last, exactly one of
     * {@code callSucceeded} (right after a succeeded attempt, with its number), {@code callFailed} or
     * {@code callEnded}, with no attempt left open, except before {@code callEnded}: core tells no end of the
     * attempt in flight when a call is stopped from outside (a cancelled future, an interrupted thread), which
     * {@link HttpEventListener}'s grammar does not show. Rotations may come anywhere. Call it once the calls have
     * ended.
     *
     * @throws AssertionError naming every event out of place (with the events of its call before it) and every call
     *                        that has not ended, or saying that no call was heard
     */
    public synchronized void assertOrder() {
        if (order.calls() == 0) {
            throw new AssertionError("the listener heard no call: is it the client's listener?");
        }
        List<String> problems = order.problems();
        if (!problems.isEmpty()) {
            throw new AssertionError("events out of HttpEventListener's order:\n  " + String.join("\n  ", problems)
                    + "\nall events: " + events);
        }
    }

    @Override
    public synchronized void callStarted(HttpRequest request) {
        String event = "callStarted " + request.method();
        events.add(event);
        order.callStarted(request, event);
    }

    @Override
    public synchronized void attemptStarted(HttpRequest request, int attempt) {
        String event = "attemptStarted " + attempt;
        events.add(event);
        order.attemptStarted(request, attempt, event);
    }

    @Override
    public synchronized void attemptSucceeded(HttpRequest request, int attempt, HttpResponse<?> response) {
        String event = "attemptSucceeded " + attempt + " " + response.statusCode();
        events.add(event);
        order.attemptEnded(request, attempt, true, event);
    }

    @Override
    public synchronized void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status,
                                           Throwable cause) {
        String event = "attemptFailed " + attempt + " " + kind + (status == 0 ? "" : " " + status);
        events.add(event);
        order.attemptEnded(request, attempt, false, event);
    }

    @Override
    public synchronized void staleConnectionRecovered(HttpRequest request, int attempt) {
        String event = "staleConnectionRecovered " + attempt;
        events.add(event);
        order.staleConnectionRecovered(request, attempt, event);
    }

    @Override
    public synchronized void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
        String event = "callSucceeded " + attempts;
        events.add(event);
        order.callSucceeded(request, attempts, event);
    }

    @Override
    public synchronized void callFailed(HttpRequest request, FailureReport report) {
        String event = "callFailed " + report.kind() + " " + report.attempts();
        events.add(event);
        order.callFailed(request, event);
    }

    @Override
    public synchronized void callEnded(HttpRequest request, int attempts, Throwable cause) {
        String event = "callEnded " + cause.getClass().getSimpleName() + " " + attempts;
        events.add(event);
        order.callStopped(request, event);
    }

    @Override
    public synchronized void generationRotated(int retired, int current, RotationReason reason) {
        events.add("generationRotated " + retired + "->" + current + " " + reason);
    }

    @Override
    public synchronized void rotationSuppressed(int current, RotationReason reason) {
        events.add("rotationSuppressed " + current + " " + reason);
    }
}
