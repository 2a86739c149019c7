package dev.resilienthttp.testkit;

import java.util.List;
import java.util.Set;

/**
 * The JDK {@code HttpClient}'s threads (named {@code HttpClient-N-SelectorManager}, and
 * {@code HttpClient-N-Worker-M} for its default executor) alive at one moment, to tell which a test started.
 */
final class JdkClientThreads {
    private static final String PREFIX = "HttpClient-";

    private final Set<Thread> alive;

    private JdkClientThreads(Set<Thread> alive) {
        this.alive = alive;
    }

    /** The JDK client threads alive now. */
    static JdkClientThreads now() {
        return new JdkClientThreads(Set.copyOf(Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(PREFIX)).toList()));
    }

    /** The names, sorted, of the JDK client threads alive now that were not alive at {@code before}. */
    List<String> startedSince(JdkClientThreads before) {
        return alive.stream().filter(thread -> thread.isAlive() && !before.alive.contains(thread))
                .map(Thread::getName).sorted().toList();
    }
}
