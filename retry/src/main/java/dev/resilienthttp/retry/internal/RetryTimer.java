package dev.resilienthttp.retry.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The scheduler async retries wait on when the user gives none: one daemon thread for the whole JVM that only
 * fires timers and starts the next (non-blocking) attempt. Created on first use.
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
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "resilient-http-retry-timer");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
