package dev.resilienthttp.retry.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The value of a metric's {@code host} tag, from a bounded set: the named hosts, else the first {@code maxSeen} hosts
 * seen, else {@code other}. Thread-safe.
 */
public final class HostTags {
    /** The tag of every host beyond the bound. */
    public static final String OTHER = "other";

    private final Set<String> named;
    private final int maxSeen;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slots = new AtomicInteger();

    /** @param maxSeen hosts beyond {@code named} tagged by name, first come; 0 for none */
    public HostTags(Set<String> named, int maxSeen) {
        this.named = Set.copyOf(named);
        this.maxSeen = maxSeen;
    }

    public String tag(String host) {
        if (named.contains(host) || seen.contains(host)) {
            return host;
        }
        // Two threads meeting one new host at once may take two slots: the bound holds, one slot is wasted.
        if (slots.getAndUpdate(n -> n < maxSeen ? n + 1 : n) < maxSeen) {
            seen.add(host);
            return host;
        }
        return OTHER;
    }
}
