package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpEventListener;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Counts failed attempts by kind: proof that a fault really happened under a client that hid it. */
final class FailedAttempts implements HttpEventListener {
    private final Map<FailureKind, AtomicInteger> byKind = new ConcurrentHashMap<>();

    @Override
    public void attemptFailed(HttpRequest request, int attempt, FailureKind kind, int status, Throwable cause) {
        byKind.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    int total() {
        return byKind.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    Map<FailureKind, Integer> byKind() {
        return byKind.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }
}
