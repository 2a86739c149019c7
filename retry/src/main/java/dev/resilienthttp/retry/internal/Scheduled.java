package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.spi.Call;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code sendAsync}'s pacing: no thread blocks. A wait is a task on the policy's scheduler and an attempt is the
 * JDK's {@code sendAsync}; each calls the run's loop back when it is over, and the run's end completes
 * {@link #outcome}. One per call.
 *
 * <p>The loop goes on after a wait through {@link Call#resume}, on the client's worker threads: not on the
 * scheduler's (the shared timer, or a scheduler of the user's), which every call's waits share, since the step
 * admits (protection events), starts an attempt (listener events) and may end the call (the caller's stages). Core
 * ends each attempt on a thread that may block already.
 */
public final class Scheduled<T> implements CallRun.Pacing<T> {
    private final ScheduledExecutorService scheduler;
    private final Call<T> call;
    private final CompletableFuture<HttpResponse<T>> outcome = new CompletableFuture<>();

    /** A pacing of {@code call} that waits on {@code scheduler}. */
    public Scheduled(ScheduledExecutorService scheduler, Call<T> call) {
        this.scheduler = scheduler;
        this.call = call;
    }

    /** Completes with the call's response, or exceptionally with what ended it. */
    public CompletableFuture<HttpResponse<T>> outcome() {
        return outcome;
    }

    @Override
    public boolean pause(Duration delay, CallRun<T> run) {
        if (scheduler.isShutdown()) {
            // A task given to a scheduler that is shutting down may be dropped, and the caller would wait for ever.
            throw new RejectedExecutionException("the retry policy's scheduler is shut down: cannot wait " + delay
                    + " before the next attempt");
        }
        scheduler.schedule(() -> call.resume(run::proceed), delay.toNanos(), TimeUnit.NANOSECONDS);
        return false;
    }

    @Override
    public boolean attempt(Call<T> call, Duration waited, Duration timeout, CallRun<T> run) {
        call.attemptAsync(waited, timeout).whenComplete((result, error) -> {
            if (error == null) {
                run.arrived(result);
            } else {
                run.broke(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
            run.proceed();
        });
        return false;
    }

    @Override
    public void ended(CallRun<T> run) {
        if (run.failure() == null) {
            outcome.complete(run.response());
        } else {
            outcome.completeExceptionally(run.failure());
        }
    }
}
