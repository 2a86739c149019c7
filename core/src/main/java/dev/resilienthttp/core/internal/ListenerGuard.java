package dev.resilienthttp.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The one guard around a user's listener, for every listener of every module: what the listener throws is logged
 * and goes no further, so that a bug in metrics code never fails a call, a policy or a processor.
 */
public final class ListenerGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerGuard.class);

    private ListenerGuard() {
    }

    /**
     * Runs {@code event}; logs what it throws (but a {@link VirtualMachineError}) as {@code "<listener> threw; <goesOn>"}.
     *
     * @param listener the listener's kind, e.g. {@code "an HttpEventListener"}
     * @param goesOn   what carries on regardless, e.g. {@code "the call goes on"}
     */
    public static void run(Runnable event, String listener, String goesOn) {
        try {
            event.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {   // an AssertionError or a LinkageError from a listener is its bug, not the call's
            LOG.warn("{} threw; {}", listener, goesOn, e);
        }
    }

    /**
     * Runs {@code event} and returns what it returns; logs what it throws as {@link #run} does, and returns
     * {@code otherwise} then.
     */
    public static <T> T get(Supplier<T> event, T otherwise, String listener, String goesOn) {
        try {
            return event.get();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {   // as in run
            LOG.warn("{} threw; {}", listener, goesOn, e);
            return otherwise;
        }
    }
}
