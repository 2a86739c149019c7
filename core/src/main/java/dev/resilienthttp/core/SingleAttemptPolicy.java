package dev.resilienthttp.core;

import dev.resilienthttp.core.spi.AttemptResult;
import dev.resilienthttp.core.spi.Call;
import dev.resilienthttp.core.spi.CallPolicy;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The policy of a client built without one: every response is a success, one attempt is made, and a request
 * that is safe to repeat is re-sent once, at once, on fresh connections after a stale connection (as Go's
 * transport does). An unsafe request without an {@code Idempotency-Key} is never re-sent.
 */
final class SingleAttemptPolicy implements CallPolicy {
    static final SingleAttemptPolicy INSTANCE = new SingleAttemptPolicy();

    private SingleAttemptPolicy() {
    }

    @Override
    public Optional<FailureKind> classify(HttpResponse.ResponseInfo response) {
        return Optional.empty();
    }

    @Override
    public <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException {
        AttemptResult<T> first = call.attempt(Duration.ZERO);
        AttemptResult<T> last = isRecoverable(call, first) ? call.attempt(Duration.ZERO) : first;
        if (last.succeeded()) {
            return last.successfulResponse();
        }
        throw call.failure();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call) {
        return call.attemptAsync(Duration.ZERO)
                .thenCompose(first -> isRecoverable(call, first)
                        ? call.attemptAsync(Duration.ZERO)
                        : CompletableFuture.completedFuture(first))
                .thenCompose(last -> last.succeeded()
                        ? CompletableFuture.completedFuture(last.successfulResponse())
                        : CompletableFuture.failedFuture(call.failure()));
    }

    private static boolean isRecoverable(Call<?> call, AttemptResult<?> result) {
        return call.attempts() == 1
                && result.kind().filter(FailureKind.STALE_CONNECTION::equals).isPresent()
                && call.safeToRepeat();
    }
}
