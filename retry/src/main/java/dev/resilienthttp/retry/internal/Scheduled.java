package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.spi.Call;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code sendAsync}'s pacing: no thread blocks. A wait is a task on the policy's scheduler and an attempt is the
 * JDK's {@code sendAsync}; each calls the run's loop back when it is over, and the run's end completes
 * {@link #outcome}. One per call. The client's close, or the caller giving the call up, ends a wait at once.
 *
 * <p>The loop goes on after a wait through {@link Call#resume}, on the client's worker threads: not on the
 * scheduler's (the shared timer, or a scheduler of the user's), which every call's waits share, since the step
 * admits (protection events), starts an attempt (listener events) and may end the call (the caller's stages). Core
 * ends each attempt on a thread that may block already.
 */
public final class Scheduled<T> implements CallRun.Pacing<T> {
    private final ScheduledExecutorService scheduler;
    private final Duration lateCheck;
    private final CompletableFuture<HttpResponse<T>> outcome = new CompletableFuture<>();

    /**
     * A pacing of one call that waits on {@code scheduler}.
     *
     * @param lateCheck for a scheduler of the user's, how long after a wait was due it is looked at again, and then
     *                  as often until it has ended: a wait the scheduler dropped ends the call. {@code null} for the
     *                  shared timer, which drops nothing.
     */
    public Scheduled(ScheduledExecutorService scheduler, Duration lateCheck) {
        this.scheduler = scheduler;
        this.lateCheck = lateCheck;
    }

    /** Completes with the call's response, or exceptionally with what ended it. */
    public CompletableFuture<HttpResponse<T>> outcome() {
        return outcome;
    }

    @Override
    public boolean pause(Call<T> call, Duration delay, CallRun<T> run) {
        if (says(scheduler::isShutdown)) {
            // A task given to a scheduler that is shutting down may be dropped, and the caller would wait for ever.
            throw notRun(call, "the retry policy's scheduler is shut down: cannot wait " + delay
                    + " before the next attempt");
        }
        new Wait<>(call, run, delay).start(scheduler, lateCheck);
        return false;
    }

    /**
     * What a scheduler says of its state; a managed one that will not say (a Jakarta EE scheduler refuses every
     * lifecycle method) is taken to be running.
     */
    private static boolean says(BooleanSupplier state) {
        try {
            return state.getAsBoolean();
        } catch (RuntimeException refused) {
            return false;
        }
    }

    /** The call's end when its scheduler will not run its wait, with the report of the attempts made, if any. */
    private static RejectedExecutionException notRun(Call<?> call, String why) {
        return new RejectedExecutionException(why, call.attempts() > 0 ? call.failure() : null);
    }

    /**
     * One wait: it ends when its timer fires or when the call is stopped (the client closes, the caller gives the
     * call up), whichever comes first, and only the first goes on. The stop's wake is forgotten when the timer wins,
     * and the timer cancelled when the stop wins, so that no wait outlives its end.
     */
    private static final class Wait<T> {
        private final Call<T> call;
        private final CallRun<T> run;
        private final Duration delay;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile ScheduledExecutorService scheduler;
        private volatile ScheduledFuture<?> timer;
        private volatile Runnable forget;
        /** The shared timer's next look at a wait on a scheduler of the user's, if any. */
        private volatile ScheduledFuture<?> look;

        Wait(Call<T> call, CallRun<T> run, Duration delay) {
            this.call = call;
            this.run = run;
            this.delay = delay;
        }

        void start(ScheduledExecutorService scheduler, Duration lateCheck) {
            this.scheduler = scheduler;
            // The stop is listened for before the timer is set, so that this wait's wake is set, and forgotten when
            // the timer ends the wait, before the call's next wait (which that end starts) sets its own.
            forget = call.whenStopped(this::stopped);
            if (over.get()) {
                return;   // stopped already: the wake ran at once
            }
            try {
                timer = scheduler.schedule(this::elapsed, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RuntimeException refused) {   // shut down since pause() looked
                over.set(true);
                forget.run();
                throw refused;
            }
            if (over.get()) {
                timer.cancel(false);   // stopped while the timer was being set: the stop saw no timer to cancel
            } else if (lateCheck != null) {
                lookAgain(delay.plus(lateCheck), lateCheck);
            }
        }

        /**
         * A scheduler of the user's may drop the wait: {@code shutdownNow()} returns it unrun, and a shutdown with
         * delayed tasks turned off, or a cancel, cancels it. Nothing tells the call, so the shared timer looks
         * after the wait was due; a wait that is merely late (a busy scheduler, a fake one in a test) is looked at
         * again as often, until it has ended.
         */
        private void lookAgain(Duration after, Duration lateCheck) {
            look = RetryTimer.shared().schedule(() -> {
                if (over.get()) {
                    return;
                }
                if (timer.isCancelled() || says(scheduler::isTerminated)) {
                    dropped();
                } else {
                    lookAgain(lateCheck, lateCheck);
                }
            }, after.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** The look is not needed once the wait is over: it would hold the call until it ran. */
        private void stopLooking() {
            ScheduledFuture<?> pending = look;
            if (pending != null) {
                pending.cancel(false);
            }
        }

        private void dropped() {
            if (over.compareAndSet(false, true)) {
                forget.run();
                RejectedExecutionException notRun = notRun(call, "the retry policy's scheduler dropped the wait of "
                        + delay + " before the next attempt (shut down or cancelled): the call ends rather than wait"
                        + " for ever");
                call.resume(() -> run.broke(notRun));
            }
        }

        private void elapsed() {
            if (over.compareAndSet(false, true)) {
                stopLooking();
                forget.run();
                call.resume(run::proceed);
            }
        }

        /**
         * On the thread that closes the client or gives the call up, or here if it is stopped already. A close ends
         * the run where the timer would have gone on, never on the closing thread, which wakes every waiting call in
         * turn: {@link Call#resume} runs a step at once for a client given an executor of the user's, and the run's
         * end runs the caller's stages. A give-up ends it here: the caller's stages have run already.
         */
        private void stopped() {
            if (over.compareAndSet(false, true)) {
                ScheduledFuture<?> set = timer;
                if (set != null) {
                    set.cancel(false);
                }
                stopLooking();
                RuntimeException stop = call.stopped();
                if (stop instanceof CancellationException) {
                    // Given up by its caller, who hears nothing more: the run ends here, so that what it holds (a
                    // breaker's probe, the 403 latch's) is given back before the caller's cancel returns.
                    run.broke(stop);
                    return;
                }
                Runnable end = () -> call.resume(() -> run.broke(stop));
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
