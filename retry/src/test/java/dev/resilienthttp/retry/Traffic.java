package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a number of keyed POSTs in flight through {@code sendAsync}: each call that ends starts the next, on the
 * thread that ended it (as a user's callback would), until {@link #stop} or {@code maxCalls} calls. A call that fails
 * other than with an {@link HttpFailureException} stops it and opens {@link #broken}.
 */
final class Traffic {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger succeeded = new AtomicInteger();
    final ConcurrentMap<FailureKind, AtomicInteger> failed = new ConcurrentHashMap<>();
    final List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch broken = new CountDownLatch(1);
    private final ResilientHttpClient client;
    private final URI uri;
    private final int maxCalls;
    private volatile boolean stopped;

    Traffic(ResilientHttpClient client, URI uri, int maxCalls) {
        this.client = client;
        this.uri = uri;
        this.maxCalls = maxCalls;
    }

    /** Starts {@code calls} calls; each that ends starts another. */
    void start(int calls) {
        for (int i = 0; i < calls; i++) {
            next();
        }
    }

    /** Starts no further call; those in flight end on their own. */
    void stop() {
        stopped = true;
    }

    private void next() {
        if (stopped) {
            return;
        }
        int n = started.incrementAndGet();
        if (n > maxCalls) {
            stopped = true;
            return;
        }
        inFlight.incrementAndGet();
        HttpRequest post = HttpRequest.newBuilder(uri).header("Idempotency-Key", "k-" + n)
                .POST(BodyPublishers.ofString("{}")).build();
        CompletableFuture<HttpResponse<String>> call;
        try {
            call = client.sendAsync(post, BodyHandlers.ofString());
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            fail(e);
            return;
        }
        call.whenComplete((response, error) -> {
            inFlight.decrementAndGet();
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause == null) {
                succeeded.incrementAndGet();
            } else if (cause instanceof HttpFailureException) {
                failed.computeIfAbsent(((HttpFailureException) cause).kind(), k -> new AtomicInteger())
                        .incrementAndGet();
            } else {
                fail(cause);   // a failure no policy made: stop rather than start calls on a broken client
                return;
            }
            next();
        });
    }

    private void fail(Throwable e) {
        unexpected.add(e);
        stopped = true;
        broken.countDown();
    }

    @Override
    public String toString() {
        return "started " + started.get() + ", succeeded " + succeeded.get() + ", failed " + new TreeMap<>(failed)
                + ", other failures " + unexpected.size();
    }
}
