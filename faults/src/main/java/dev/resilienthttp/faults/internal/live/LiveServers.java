package dev.resilienthttp.faults.internal.live;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The in-JVM servers of this JVM that are started and not yet closed, each with the names of its proxies: what a
 * leak check reads to name the servers and proxies a test left behind. It observes and changes nothing; a server is
 * here from the end of {@code start} to the end of {@code close}. A real Toxiproxy (another process) is never here.
 */
public final class LiveServers {
    private static final Map<URI, Supplier<Set<String>>> LIVE = new ConcurrentHashMap<>();

    private LiveServers() {
    }

    /** A server now answers at {@code api}; {@code proxyNames} reads its proxies' names when asked. */
    public static void started(URI api, Supplier<Set<String>> proxyNames) {
        LIVE.put(api, proxyNames);
    }

    /** The server at {@code api} is closed: its proxies and threads are gone. */
    public static void closed(URI api) {
        LIVE.remove(api);
    }

    /** Each live server's API address with the names of its proxies now, both sorted. */
    public static Map<URI, Set<String>> snapshot() {
        Map<URI, Set<String>> snapshot = new TreeMap<>();
        LIVE.forEach((api, proxyNames) -> snapshot.put(api, proxyNames.get()));
        return snapshot;
    }
}
