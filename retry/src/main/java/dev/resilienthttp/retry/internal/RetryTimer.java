package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.internal.ReservedThread;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The scheduler async retries wait on when the user gives none: one daemon thread for the whole JVM that only
 * fires timers and starts the next (non-blocking) attempt, a {@link ReservedThread}: a call's result completed on it
 * is handed to a worker thread before the caller's stages run. Created on first use.
 */
public final class RetryTimer {
    private RetryTimer() {
    }

    /** The shared timer. */
    public static ScheduledExecutorService shared() {
        return Holder.TIMER;
    }

    private static final class Holder {
        static final ScheduledExecutorService TIMER = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                    runnable -> new ReservedThread(runnable, "resilient-http-retry-timer"));
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
