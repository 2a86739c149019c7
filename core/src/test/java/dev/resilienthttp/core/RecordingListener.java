package dev.resilienthttp.core;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes every event down as one short line, in order, so tests can assert the sequence. Core's own copy of the
 * published {@code dev.resilienthttp.testkit.RecordingListener} (without its order check), which core's tests cannot
 * depend on: see {@code dev.resilienthttp.core.fixtures}' package doc.
 */
final class RecordingListener implements HttpEventListener {
    private final List<String> events = new ArrayList<>();

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    private synchronized void add(String event) {
        events.add(event);
    }

    @Override
    public void callStarted(HttpRequest request) {
        add("callStarted " + request.method());
    }

    @Override
    public void attemptStarted(HttpRequest request, int attempt) {
        add("attemptStarted " + attempt);
    }

    @Override
    public void attemptSucceeded(HttpRequest request, int attempt, HttpResponse<?> response) {
        add("attemptSucceeded " + attempt + " " + response.statusCode());
    }

    @Override
    public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
        add("attemptFailed " + attempt + " " + kind + (status == 0 ? "" : " " + status));
    }

    @Override
    public void staleConnectionRecovered(HttpRequest request, int attempt) {
        add("staleConnectionRecovered " + attempt);
    }

    @Override
    public void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
        add("callSucceeded " + attempts);
    }

    @Override
    public void callFailed(HttpRequest request, FailureReport report) {
        add("callFailed " + report.kind() + " " + report.attempts());
    }

    @Override
    public void callEnded(HttpRequest request, int attempts, Throwable cause) {
        add("callEnded " + cause.getClass().getSimpleName() + " " + attempts);
    }

    @Override
    public void generationRotated(int retired, int current, RotationReason reason) {
        add("generationRotated " + retired + "->" + current + " " + reason);
    }
}
