package dev.resilienthttp.retry.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The values of one metric tag, from a bounded set: the named values, else the first {@code maxSeen} values seen,
 * else {@code other}. A tag fed with hosts or paths then makes a bounded number of meters. Thread-safe.
 */
public final class BoundedTag {
    /** The value of every tag beyond the bound. */
    public static final String OTHER = "other";

    private final Set<String> named;
    private final int maxSeen;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slots = new AtomicInteger();

    /** @param maxSeen values beyond {@code named} kept as they are, first come; 0 for none */
    public BoundedTag(Set<String> named, int maxSeen) {
        this.named = Set.copyOf(named);
        this.maxSeen = maxSeen;
    }

    /** {@code value} itself if it is named or among the first seen, else {@link #OTHER}. */
    public String of(String value) {
        if (named.contains(value) || seen.contains(value)) {
            return value;
        }
        // Two threads meeting one new value at once may take two slots: the bound holds, one slot is wasted.
        if (slots.getAndUpdate(n -> n < maxSeen ? n + 1 : n) < maxSeen) {
            seen.add(value);
            return value;
        }
        return OTHER;
    }
}
