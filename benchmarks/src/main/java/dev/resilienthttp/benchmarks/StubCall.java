package dev.resilienthttp.benchmarks;

import dev.resilienthttp.core.ClientClosedException;
import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.spi.AttemptResult;
import dev.resilienthttp.core.spi.Call;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A call whose every attempt succeeds at once, without the network: a policy run over it costs only the policy's
 * own work. One per benchmark thread; {@link #reset()} before each call.
 */
final class StubCall implements Call<String> {
    private final HttpRequest request;
    private final AttemptResult<String> success;
    private int attempts;

    StubCall(HttpRequest request) {
        this.request = request;
        this.success = AttemptResult.success(1, new StubResponse(request));
    }

    StubCall reset() {
        attempts = 0;
        return this;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public boolean safeToRepeat() {
        return false;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public Duration elapsed() {
        return Duration.ZERO;
    }

    @Override
    public AttemptResult<String> attempt(Duration waited) {
        attempts++;
        return success;
    }

    @Override
    public AttemptResult<String> attempt(Duration waited, Duration timeout) {
        return attempt(waited);
    }

    @Override
    public CompletableFuture<AttemptResult<String>> attemptAsync(Duration waited) {
        return CompletableFuture.completedFuture(attempt(waited));
    }

    @Override
    public CompletableFuture<AttemptResult<String>> attemptAsync(Duration waited, Duration timeout) {
        return attemptAsync(waited);
    }

    @Override
    public void resume(Runnable step) {
        step.run();
    }

    /** A stub's client never closes, and no caller gives a stub call up: nothing to wake. */
    @Override
    public Runnable whenStopped(Runnable wake) {
        return () -> { };
    }

    @Override
    public RuntimeException stopped() {
        return new ClientClosedException("the stub's client never closes");
    }

    @Override
    public HttpFailureException failure() {
        throw new IllegalStateException("a stub call never fails");
    }

    @Override
    public HttpFailureException failure(FailureKind kind, String detail) {
        throw new IllegalStateException("a stub call never fails: " + kind + " " + detail);
    }
}
