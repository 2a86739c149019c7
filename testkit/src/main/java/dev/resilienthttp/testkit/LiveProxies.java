package dev.resilienthttp.testkit;

import dev.resilienthttp.faults.internal.live.LiveServers;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The in-JVM Toxiproxy servers running at one moment, each with its proxies' names. */
final class LiveProxies {
    private final Map<URI, Set<String>> servers;

    private LiveProxies(Map<URI, Set<String>> servers) {
        this.servers = servers;
    }

    static LiveProxies now() {
        return new LiveProxies(LiveServers.snapshot());
    }

    /**
     * What is running now that was not at {@code before}: a server started since and not closed (with its proxies),
     * or a proxy created since on a server that was already running, and not deleted.
     */
    List<String> startedSince(LiveProxies before) {
        List<String> leaks = new ArrayList<>();
        servers.forEach((api, proxies) -> {
            Set<String> proxiesBefore = before.servers.get(api);
            if (proxiesBefore == null) {
                leaks.add("ToxiproxyServer " + api + " not closed" + (proxies.isEmpty() ? "" : ", proxies " + proxies));
            } else {
                Set<String> created = new TreeSet<>(proxies);
                created.removeAll(proxiesBefore);
                created.forEach(name -> leaks.add("proxy " + name + " on ToxiproxyServer " + api + " not deleted"));
            }
        });
        return leaks;
    }
}
