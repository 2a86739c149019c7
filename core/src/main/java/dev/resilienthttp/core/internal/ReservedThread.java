package dev.resilienthttp.core.internal;

/**
 * A thread of this library that serves every call, such as the deadline watchdog or the retry timer: the caller's
 * code must never run on it, since one blocking callback would hold up every other call. Code that may complete
 * a caller's future checks {@link JdkExecutor#mustNotBlock()} and hands the completion to a pool thread.
 */
public final class ReservedThread extends Thread {
    /** A daemon thread named {@code name} that runs {@code task}; not started. */
    public ReservedThread(Runnable task, String name) {
        super(task, name);
        setDaemon(true);
    }
}
