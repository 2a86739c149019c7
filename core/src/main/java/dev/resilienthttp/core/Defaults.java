package dev.resilienthttp.core;

import org.slf4j.event.Level;

import java.time.Duration;

/** Core's defaults, in one place, each with the reason for its number. */
final class Defaults {
    /**
     * The level of the one log line for a call that failed: the caller gets the failure as an exception, so by default
     * it is not logged again (OkHttp and Apache HttpClient log none); set {@code WARN} for one line a failed call.
     */
    static final Level FAILURE_LOG_LEVEL = Level.DEBUG;

    /**
     * Below an AWS NAT gateway's 350 s idle timeout, after which it answers the next packet with RST. The JDK
     * reuses the connection idle longest first, so only a bound on the pool's age bounds every connection's idle
     * time (research/jdk-connection-facts.md sections 2.2 and 11).
     */
    static final Duration MAX_CONNECTION_AGE = Duration.ofSeconds(240);

    /** Below an AWS ALB's 60 s idle timeout (and Azure's 4 min): a pool unused this long may be dead everywhere. */
    static final Duration MAX_IDLE = Duration.ofSeconds(50);

    /** The JDK has none: a dropped SYN would wait for the kernel's retries (about 2 min on Linux). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Per attempt. The JDK has none: a server that never answers would hold the call forever. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The longest a response body may go without a byte, per attempt: OkHttp's {@code readTimeout}, 10 s, for
     * the same reason. A healthy server's pauses mid-body are far shorter, and the request timeout stops at the
     * headers: without this a stalled body holds the caller until the policy's deadline (5 min with
     * {@code RetryPolicy.standard()}), or for ever without a policy.
     */
    static final Duration READ_IDLE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How long a pooled connection must have sat idle before a reset on it, before any response byte, is called a
     * stale connection (retried at once, free of the retry budget, the pool replaced) rather than a
     * {@code CONNECTION_RESET} (backoff, counted by the budget and the breaker). No box on a path drops a connection
     * idle for milliseconds: those resets are the server's, often an overloaded one's, and an immediate retry on
     * fresh connections would storm it. The shortest keep-alive timers in common use are a few seconds (Node.js and
     * Apache httpd: 5 s), NAT gateways minutes; the connections of back-to-back requests were measured idle for
     * under 50 ms on loopback ({@code StaleOrFreshResetEndToEndTest}). One second lies between with room on both
     * sides; a path known to drop connections sooner (a test that compresses time) sets its own.
     */
    static final Duration STALE_AFTER_IDLE = Duration.ofSeconds(1);

    /**
     * The most threads a client's worker pool holds: they run the caller's code that may block (custom body
     * handlers and subscribers, a blocking request body, {@code sendAsync} continuations) and the JDK's heavier
     * tasks (a TLS handshake's), never the fast path of the JDK's own handlers. The JDK's default is a pool
     * without bound for every JDK client, which a reset storm multiplied by its rotations into 1,100-1,500 threads
     * (issue 16's probe). 64 lets 64 calls block in the caller's code at once; more wait their turn, never dropped.
     */
    static final int WORKER_THREADS = 64;

    /**
     * The most threads a worker pool starts past its bound when every thread is blocked and nothing in its queue
     * has moved for 200 ms: what the blocked code waits for may be queued behind it (64 body mappers reading streams
     * whose bytes are queued tasks; 64 continuations joining calls whose ends are). 256, the JVM's common pool's cap
     * on the threads it adds for blocked joins ({@code ForkJoinPool}'s {@code maximumSpares}): far below the JDK's
     * unbounded pool, and a pool that moves at all gets none.
     */
    static final int WORKER_SPARES = 256;

    /**
     * The most threads a client's second pool holds: the JDK's own tasks that do not run inline on its selector
     * thread (a TLS handshake's delegated work, {@code sendAsync}'s start, which may resolve a host name, and every
     * task of a JDK client given hooks of the user's). Apart from {@link #WORKER_THREADS}, so that calls blocked in
     * the caller's code cannot hold up the JDK work they wait for. The same bound, for the same reason.
     */
    static final int JDK_WORKER_THREADS = 64;

    /** How long an idle worker thread waits for a task before it ends: the JDK's own pool's 60 s. */
    static final Duration WORKER_KEEP_ALIVE = Duration.ofSeconds(60);

    private Defaults() {
    }
}
