package dev.resilienthttp.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waits a client's close ends: a call waiting to retry registers a wake, and {@link #close} runs every wake
 * still registered, once. A closed client can make no further attempt, so a call has nothing to wait for.
 *
 * <p>Bounded by the calls waiting at once: a wait forgets its wake when it ends. Each wake runs exactly once or not
 * at all, whichever of {@link #close}, a late {@link #register} and the wait's own end comes first.
 */
public final class CloseWakes {
    private static final Logger LOG = LoggerFactory.getLogger(CloseWakes.class);

    /** A registration, known by identity: the same wake may be registered twice. */
    private static final class Wake {
        private final Runnable action;

        Wake(Runnable action) {
            this.action = action;
        }
    }

    private final Set<Wake> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Runs {@code wake} when the client closes, unless the returned handle runs first; at once, on this thread, if
     * the client is closed already. {@code wake} runs on the thread that closes: it must be quick and must not block.
     *
     * @return what forgets the wake: run it when the wait ends on its own
     */
    public Runnable register(Runnable wake) {
        Wake registered = new Wake(wake);
        waiting.add(registered);
        // After the add, so that close() either sees it or this sees closed: never neither.
        if (closed) {
            take(registered);
        }
        return () -> waiting.remove(registered);
    }

    /** Runs every wake still registered, and from now on runs a new one at once. Idempotent. */
    public void close() {
        closed = true;
        for (Wake wake : waiting) {
            take(wake);
        }
    }

    /** Waits registered and not yet ended or woken; for tests. */
    public int waiting() {
        return waiting.size();
    }

    private void take(Wake wake) {
        if (!waiting.remove(wake)) {
            return;   // forgotten, or taken by the other side
        }
        try {
            wake.action.run();
        } catch (RuntimeException | Error e) {
            // One broken wake must not keep the others waiting; the wake's own call still ends when its wait does.
            LOG.warn("a wait could not be woken when the client closed", e);
        }
    }
}
