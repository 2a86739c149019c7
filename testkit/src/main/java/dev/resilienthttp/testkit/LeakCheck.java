package dev.resilienthttp.testkit;

import dev.resilienthttp.faults.Await;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test which leaves open what it opened: a <b>connection</b> (any TCP or UDP
 * socket of the process, listening ones included), a <b>JDK client thread</b> ({@code HttpClient-…}: a JDK
 * {@code HttpClient}, or a {@code ResilientHttpClient}'s, not closed), or an in-JVM <b>Toxiproxy server</b> or
 * <b>proxy</b> ({@code ToxiproxyServer} not closed; a proxy created on a server that was already running and not
 * deleted). Use it as {@link CheckLeaks @CheckLeaks}.
 *
 * <p>Before each test it notes what is open; after the test (after its {@code @AfterEach} methods, and after the
 * after-each callbacks of extensions declared after it) it waits until nothing the test opened is still open, and
 * fails the test if something still is after {@link #DEFAULT_WAIT} (10 s), naming it: each socket by its addresses
 * and TCP state with the process's socket count before and after, each thread by its name, each server by its API
 * address and each proxy by its name. Sockets and threads end asynchronously after {@code close()}, hence the wait;
 * a test that leaks nothing waits no longer than that takes. The configuration parameter
 * {@value #WAIT_PARAMETER} (an ISO-8601 duration such as {@code PT30S}, e.g. in {@code junit-platform.properties})
 * sets the wait.
 *
 * <p>What it cannot see:
 * <ul>
 *   <li><b>Sockets outside Linux.</b> They are read from {@code /proc/self/fd} ({@link OpenSockets}); where there is
 *       none (macOS, Windows) the socket check is skipped, and each test's report says so (a report entry
 *       {@code leak-check}). Threads and proxies are still checked.</li>
 *   <li><b>What the garbage collector closes, on JDK 17 to 20.</b> There a JDK {@code HttpClient} has no
 *       {@code close()}: it, and so a closed {@code ResilientHttpClient}'s retired JDK clients, ends its selector
 *       thread and connections only once it is collected. So on those JDKs the check asks for a garbage collection
 *       while it waits, and what becomes unreachable is then closed by the JDK and not reported: a client, a socket
 *       or a stream that the test dropped without closing. It sees what something still references (a field of the
 *       test instance, a static, a pool). On JDK 21+ it asks for no collection: a client dropped without
 *       {@code close()} is reported unless a collection happens to run meanwhile.</li>
 *   <li><b>Other tests running at once.</b> Sockets and threads are the whole JVM's: with JUnit's parallel execution
 *       a neighbour's count as this test's. Run checked classes alone (e.g. {@code @Isolated}).</li>
 *   <li><b>What was open before the test</b> (opened in {@code @BeforeAll}, or by an earlier test), even if the test
 *       used it; and a real Toxiproxy at {@code TOXIPROXY_URL}, whose proxies are in another process. The other side
 *       of this: a client shared by the class (made in {@code @BeforeAll}) keeps the connections a test opened in
 *       its pool, and those are reported as the test's leak after the wait. Give each checked test its own client,
 *       or close the shared one's connections in {@code @AfterEach}.</li>
 *   <li><b>Other threads</b>: only the JDK client's are checked (the JDK names them {@code HttpClient-…}); a
 *       leaked client's sockets are caught as sockets in any case.</li>
 * </ul>
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
    /** The JUnit configuration parameter that sets how long to wait, as an ISO-8601 duration ({@code PT30S}). */
    public static final String WAIT_PARAMETER = "dev.resilienthttp.testkit.leakcheck.wait";
    /**
     * How long a test's sockets and threads may take to end after it: generous for a loaded CI machine (closing
     * takes milliseconds; a dropped JDK 17 client's selector notices its collection within about 3 s).
     */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    /** Garbage collections are asked for at most this often while waiting, and only on JDK 17 to 20. */
    private static final Duration COLLECT_EVERY = Duration.ofMillis(250);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);

    /** JUnit creates it through {@link CheckLeaks} or {@code @ExtendWith}. */
    public LeakCheck() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        boolean sockets = OpenSockets.countable();
        if (!sockets) {
            context.publishReportEntry("leak-check", "sockets not checked: this OS has no /proc/self/fd to read them"
                    + " from; JDK client threads and proxies are checked");
        }
        context.getStore(NAMESPACE).put(Baseline.class, Baseline.now(sockets));
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        Baseline baseline = context.getStore(NAMESPACE).remove(Baseline.class, Baseline.class);
        if (baseline == null) {
            return;   // beforeEach did not run: an earlier extension failed, and there is nothing to compare with
        }
        boolean collect = Runtime.version().feature() < 21;
        long[] lastCollection = {System.nanoTime() - COLLECT_EVERY.toNanos()};
        Baseline.Leaks[] last = {baseline.leaksNow()};
        Await.until("every connection, JDK client thread and Toxiproxy the test opened is closed", wait(context),
                () -> {
                    if (collect && last[0].collectable()
                            && System.nanoTime() - lastCollection[0] >= COLLECT_EVERY.toNanos()) {
                        System.gc();
                        lastCollection[0] = System.nanoTime();
                    }
                    last[0] = baseline.leaksNow();
                    return last[0].none();
                },
                () -> last[0]);
    }

    private static Duration wait(ExtensionContext context) {
        return context.getConfigurationParameter(WAIT_PARAMETER).map(value -> {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new ExtensionConfigurationException(WAIT_PARAMETER + " is an ISO-8601 duration such as PT30S,"
                        + " not " + value, e);
            }
        }).orElse(DEFAULT_WAIT);
    }
}
