package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.spi.Call;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code sendAsync}'s pacing: no thread blocks. A wait is a task on the policy's scheduler and an attempt is the
 * JDK's {@code sendAsync}; each calls the run's loop back when it is over, and the run's end completes
 * {@link #outcome}. One per call. The client's close ends a wait at once.
 *
 * <p>The loop goes on after a wait through {@link Call#resume}, on the client's worker threads: not on the
 * scheduler's (the shared timer, or a scheduler of the user's), which every call's waits share, since the step
 * admits (protection events), starts an attempt (listener events) and may end the call (the caller's stages). Core
 * ends each attempt on a thread that may block already.
 */
public final class Scheduled<T> implements CallRun.Pacing<T> {
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<HttpResponse<T>> outcome = new CompletableFuture<>();

    /** A pacing of one call that waits on {@code scheduler}. */
    public Scheduled(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Completes with the call's response, or exceptionally with what ended it. */
    public CompletableFuture<HttpResponse<T>> outcome() {
        return outcome;
    }

    @Override
    public boolean pause(Call<T> call, Duration delay, CallRun<T> run) {
        if (scheduler.isShutdown()) {
            // A task given to a scheduler that is shutting down may be dropped, and the caller would wait for ever.
            throw new RejectedExecutionException("the retry policy's scheduler is shut down: cannot wait " + delay
                    + " before the next attempt");
        }
        new Wait<>(call, run).start(scheduler, delay);
        return false;
    }

    /**
     * One wait: it ends when its timer fires or when the client closes, whichever comes first, and only the first
     * goes on. The timer is set before the close is listened for, so that a close always has a timer to cancel; the
     * close's wake is forgotten when the timer wins, so that no wait outlives its end.
     */
    private static final class Wait<T> {
        private final Call<T> call;
        private final CallRun<T> run;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile ScheduledExecutorService scheduler;
        private volatile ScheduledFuture<?> timer;
        private volatile Runnable forget;

        Wait(Call<T> call, CallRun<T> run) {
            this.call = call;
            this.run = run;
        }

        void start(ScheduledExecutorService scheduler, Duration delay) {
            this.scheduler = scheduler;
            timer = scheduler.schedule(this::elapsed, delay.toNanos(), TimeUnit.NANOSECONDS);
            forget = call.whenClientCloses(this::closed);
            if (over.get()) {
                forget.run();   // the timer fired before the wake was registered
            }
        }

        private void elapsed() {
            if (over.compareAndSet(false, true)) {
                Runnable registered = forget;
                if (registered != null) {
                    registered.run();
                }
                call.resume(run::proceed);
            }
        }

        /**
         * On the thread that closes the client, or here if it is closed already: the run ends where the timer would
         * have gone on, never on the closing thread, which wakes every waiting call in turn. {@link Call#resume} runs
         * a step at once for a client given an executor of the user's, and the run's end runs the caller's stages.
         */
        private void closed() {
            if (over.compareAndSet(false, true)) {
                timer.cancel(false);
                Runnable end = () -> call.resume(() -> run.broke(call.closed()));
                try {
                    scheduler.execute(end);
                } catch (RejectedExecutionException shutDown) {
                    end.run();   // a scheduler shut down under its waits: here rather than never
                }
            }
        }
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
