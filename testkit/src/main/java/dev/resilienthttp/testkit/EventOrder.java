package dev.resilienthttp.testkit;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks each call's events, as they come, against the order and pairing {@code HttpEventListener} documents:
 * <pre>{@code
 * callStarted
 *   ( attemptStarted  (attemptSucceeded | attemptFailed) )*   -- one pair per network attempt, numbered from 1
 *   [staleConnectionRecovered]                                 -- right after the attemptSucceeded it is about
 * (callSucceeded | callFailed | callEnded)                     -- exactly one, last
 * }</pre>
 * and what the events carry: attempt numbers 1, 2, … in turn, an attempt ended with the number it started with,
 * {@code callSucceeded} right after a succeeded attempt and carrying its number. One exception, as core behaves:
 * an attempt still in flight when {@code callEnded} comes need not have ended. Calls are told apart by their
 * {@link HttpRequest} object. Not thread-safe: its one user, {@link RecordingListener}, holds the lock.
 */
final class EventOrder {

    /** One call: the request it was made with, its events so far, and where it stands. */
    private static final class CallState {
        final int number;
        final HttpRequest request;
        final List<String> events = new ArrayList<>();
        int attempt;
        boolean attemptOpen;
        boolean lastAttemptSucceeded;
        /** The attempt whose attemptSucceeded is the call's latest event, 0 when the latest is another. */
        int succeededJustNow;
        boolean ended;

        CallState(int number, HttpRequest request) {
            this.number = number;
            this.request = request;
        }

        String previous() {
            return events.isEmpty() ? "nothing" : events.get(events.size() - 1);
        }

        @Override
        public String toString() {
            return "call " + number + " (" + request.method() + " " + request.uri() + ")";
        }
    }

    private final Map<HttpRequest, CallState> latest = new IdentityHashMap<>();
    private final List<CallState> calls = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    void callStarted(HttpRequest request, String event) {
        CallState running = latest.get(request);
        if (running != null && !running.ended) {
            violation(running, event, "a call with the same HttpRequest object started before this one ended"
                    + " (calls made at once need HttpRequest objects of their own to be told apart)");
        }
        CallState call = new CallState(calls.size() + 1, request);
        calls.add(call);
        latest.put(request, call);
        call.events.add(event);
    }

    void attemptStarted(HttpRequest request, int attempt, String event) {
        CallState call = open(request, event);
        if (call == null) {
            return;
        }
        if (call.attemptOpen) {
            violation(call, event, "attempt " + call.attempt + " has not ended");
        } else if (attempt != call.attempt + 1) {
            violation(call, event, "the next attempt is number " + (call.attempt + 1));
        }
        call.attempt = attempt;
        call.attemptOpen = true;
        add(call, event);
    }

    void attemptEnded(HttpRequest request, int attempt, boolean succeeded, String event) {
        CallState call = open(request, event);
        if (call == null) {
            return;
        }
        if (!call.attemptOpen) {
            violation(call, event, "no attempt is open: it comes after " + call.previous());
        } else if (attempt != call.attempt) {
            violation(call, event, "the open attempt is number " + call.attempt);
        }
        call.attemptOpen = false;
        call.lastAttemptSucceeded = succeeded;
        add(call, event);
        call.succeededJustNow = succeeded ? attempt : 0;
    }

    void staleConnectionRecovered(HttpRequest request, int attempt, String event) {
        CallState call = open(request, event);
        if (call == null) {
            return;
        }
        if (call.succeededJustNow != attempt) {
            violation(call, event, "it comes right after the attemptSucceeded " + attempt + " it is about, not after "
                    + call.previous());
        }
        add(call, event);
    }

    /** {@code callSucceeded}: right after a succeeded attempt, carrying its number. */
    void callSucceeded(HttpRequest request, int attempts, String event) {
        CallState call = open(request, event);
        if (call == null) {
            return;
        }
        if (call.attemptOpen) {
            violation(call, event, "attempt " + call.attempt + " has not ended");
        } else if (!call.lastAttemptSucceeded) {
            violation(call, event, "no attempt succeeded: the last event about an attempt is not attemptSucceeded");
        } else if (attempts != call.attempt) {
            violation(call, event, "the call made " + call.attempt + " attempts");
        }
        end(call, event);
    }

    /** {@code callFailed}: the policy's verdict, so every attempt has ended. */
    void callFailed(HttpRequest request, String event) {
        CallState call = open(request, event);
        if (call == null) {
            return;
        }
        if (call.attemptOpen) {
            violation(call, event, "attempt " + call.attempt + " has not ended");
        }
        end(call, event);
    }

    /**
     * {@code callEnded}: stopped from outside (interrupted, cancelled, closed client, a body handler threw). The
     * attempt in flight then may have no end of its own: core tells none for it (seen on a cancelled
     * {@code sendAsync}), which {@code HttpEventListener}'s grammar does not show.
     */
    void callStopped(HttpRequest request, String event) {
        CallState call = open(request, event);
        if (call != null) {
            end(call, event);
        }
    }

    private static void end(CallState call, String event) {
        call.ended = true;
        add(call, event);
    }

    /** The call {@code request} is in and that has not ended, or null after recording why there is none. */
    private CallState open(HttpRequest request, String event) {
        CallState call = latest.get(request);
        if (call == null) {
            violations.add(event + ": no callStarted with this HttpRequest came before it");
            return null;
        }
        if (call.ended) {
            violation(call, event, "the call had ended with " + call.previous());
            add(call, event);
            return null;
        }
        return call;
    }

    private static void add(CallState call, String event) {
        call.events.add(event);
        call.succeededJustNow = 0;
    }

    private void violation(CallState call, String event, String why) {
        violations.add(call + ": " + event + " after " + call.events + ": " + why);
    }

    int calls() {
        return calls.size();
    }

    /** Every event out of place so far, then every call that has not had its last event. */
    List<String> problems() {
        List<String> problems = new ArrayList<>(violations);
        for (CallState call : calls) {
            if (!call.ended) {
                problems.add(call + " has not ended: " + call.events);
            }
        }
        return problems;
    }

    boolean allEnded() {
        return calls.stream().allMatch(call -> call.ended);
    }
}
