package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.ListenerGuard;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls the user's listener and keeps its exceptions out of the call: they are logged, nothing more. */
final class SafeListener implements HttpEventListener {
    private final HttpEventListener delegate;

    SafeListener(HttpEventListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void callStarted(HttpRequest request) {
        guard(() -> delegate.callStarted(request));
    }

    @Override
    public void attemptStarted(HttpRequest request, int attempt) {
        guard(() -> delegate.attemptStarted(request, attempt));
    }

    @Override
    public void attemptSucceeded(HttpRequest request, int attempt, HttpResponse<?> response) {
        guard(() -> delegate.attemptSucceeded(request, attempt, response));
    }

    @Override
    public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
        guard(() -> delegate.attemptFailed(request, attempt, kind, status, cause));
    }

    @Override
    public void staleConnectionRecovered(HttpRequest request, int attempt) {
        guard(() -> delegate.staleConnectionRecovered(request, attempt));
    }

    @Override
    public void callSucceeded(HttpRequest request, HttpResponse<?> response, int attempts) {
        guard(() -> delegate.callSucceeded(request, response, attempts));
    }

    @Override
    public void callFailed(HttpRequest request, FailureReport report) {
        guard(() -> delegate.callFailed(request, report));
    }

    @Override
    public void callEnded(HttpRequest request, int attempts, Throwable cause) {
        guard(() -> delegate.callEnded(request, attempts, cause));
    }

    @Override
    public void rotationSuppressed(int current, RotationReason reason) {
        guard(() -> delegate.rotationSuppressed(current, reason));
    }

    @Override
    public void generationRotated(int retired, int current, RotationReason reason) {
        guard(() -> delegate.generationRotated(retired, current, reason));
    }

    private static void guard(Runnable event) {
        ListenerGuard.run(event, "an HttpEventListener", "the call goes on");
    }
}
