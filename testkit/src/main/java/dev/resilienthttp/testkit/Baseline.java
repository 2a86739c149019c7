package dev.resilienthttp.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What was open when a test started, to tell what the test opened and left open. */
final class Baseline {

    /**
     * What the test left open: network sockets (by description, with the process's socket counts before and now),
     * JDK client threads (by name), and Toxiproxy servers and proxies.
     */
    record Leaks(int socketsBefore, int socketsNow, List<String> sockets, List<String> threads,
                 List<String> proxies) {
        boolean none() {
            return sockets.isEmpty() && threads.isEmpty() && proxies.isEmpty();
        }

        /** Whether a garbage collection may end some: a dropped JDK 17 client ends its thread and sockets so. */
        boolean collectable() {
            return !sockets.isEmpty() || !threads.isEmpty();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!sockets.isEmpty()) {
                parts.add(sockets.size() + " socket(s) opened during the test still open (the process had "
                        + socketsBefore + " open before it, " + socketsNow + " now): " + String.join(", ", sockets));
            }
            if (!threads.isEmpty()) {
                parts.add("JDK client thread(s) started during the test still running: " + String.join(", ", threads)
                        + " (close the ResilientHttpClient or HttpClient)");
            }
            if (!proxies.isEmpty()) {
                parts.add(String.join(", ", proxies));
            }
            return "leaked: " + String.join("; ", parts);
        }
    }

    /** The open sockets' inodes, or null where sockets cannot be read. */
    private final Set<String> sockets;
    private final JdkClientThreads threads;
    private final LiveProxies proxies;

    private Baseline(Set<String> sockets, JdkClientThreads threads, LiveProxies proxies) {
        this.sockets = sockets;
        this.threads = threads;
        this.proxies = proxies;
    }

    /** What is open now; sockets only where {@code checkSockets}. */
    static Baseline now(boolean checkSockets) {
        return new Baseline(checkSockets ? OpenSockets.inodes() : null, JdkClientThreads.now(), LiveProxies.now());
    }

    /** What is open now that was not when this baseline was taken. */
    Leaks leaksNow() {
        List<String> leakedSockets = List.of();
        int socketsNow = 0;
        if (sockets != null) {
            Set<String> now = OpenSockets.inodes();
            socketsNow = now.size();
            Set<String> opened = new TreeSet<>(now);
            opened.removeAll(sockets);
            Map<String, String> described = opened.isEmpty() ? Map.of() : TcpTable.describe(opened);
            leakedSockets = opened.stream().map(described::get).sorted().toList();
        }
        int socketsBefore = sockets == null ? 0 : sockets.size();
        return new Leaks(socketsBefore, socketsNow, leakedSockets, JdkClientThreads.now().startedSince(threads),
                LiveProxies.now().startedSince(proxies));
    }
}
