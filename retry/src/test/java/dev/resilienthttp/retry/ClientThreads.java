package dev.resilienthttp.retry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The threads started since a snapshot, by kind: so that a test counts its own client's threads, not those other
 * tests of the same JVM left behind (a JDK 17 client's live until it is collected). Enumerates thread groups, which
 * stops no thread, unlike taking stack traces.
 */
final class ClientThreads {
    /** One per JDK client, so one per connection generation. */
    static final Pattern SELECTOR = Pattern.compile("HttpClient-\\d+-SelectorManager");
    /** The JDK client's default executor: a cached pool per JDK client. */
    static final Pattern JDK_WORKER = Pattern.compile("HttpClient-\\d+-Worker-\\d+");
    /** The client's own threads that may block: two bounded pools per ResilientHttpClient, for the caller's code and the JDK's. */
    static final Pattern OUR_WORKER = Pattern.compile("resilient-http-(worker|jdk)-.*");

    /** How many threads of each kind were alive at one moment. */
    record Count(int selectors, int jdkWorkers, int ourWorkers, Map<String, Integer> others) {
        boolean noneOfTheClient() {
            return selectors == 0 && jdkWorkers == 0 && ourWorkers == 0;
        }

        @Override
        public String toString() {
            return "selectors=" + selectors + " jdk-workers=" + jdkWorkers + " our-workers=" + ourWorkers
                    + " others=" + others;
        }
    }

    private final Set<Long> before;
    private final Predicate<String> ignored;

    private ClientThreads(Set<Long> before, Predicate<String> ignored) {
        this.before = before;
        this.ignored = ignored;
    }

    /** Remembers the threads alive now; {@code ignored} names threads not to count later (the test's server's). */
    static ClientThreads since(Predicate<String> ignored) {
        return new ClientThreads(alive().stream().map(ClientThreads::id).collect(Collectors.toSet()), ignored);
    }

    /** The threads started since the snapshot and alive now, by kind; other names with their digits as N. */
    Count count() {
        int selectors = 0;
        int jdkWorkers = 0;
        int ourWorkers = 0;
        Map<String, Integer> others = new TreeMap<>();
        for (Thread thread : alive()) {
            String name = thread.getName();
            if (before.contains(id(thread)) || ignored.test(name)) {
                continue;
            }
            if (SELECTOR.matcher(name).matches()) {
                selectors++;
            } else if (JDK_WORKER.matcher(name).matches()) {
                jdkWorkers++;
            } else if (OUR_WORKER.matcher(name).matches()) {
                ourWorkers++;
            } else {
                others.merge(name.replaceAll("\\d+", "N"), 1, Integer::sum);
            }
        }
        return new Count(selectors, jdkWorkers, ourWorkers, others);
    }

    /** The names of the threads started since the snapshot and alive now, sorted. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Thread thread : alive()) {
            if (!before.contains(id(thread)) && !ignored.test(thread.getName())) {
                names.add(thread.getName());
            }
        }
        names.sort(null);
        return names;
    }

    @SuppressWarnings("deprecation")   // Thread.threadId() is JDK 19+; getId() is the same number
    private static long id(Thread thread) {
        return thread.getId();
    }

    private static List<Thread> alive() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        // enumerate() fills at most the array: grow it until the threads fit, a bounded number of times.
        Thread[] threads = new Thread[Math.max(64, root.activeCount() * 2)];
        for (int tries = 0; tries < 10; tries++) {
            int n = root.enumerate(threads, true);
            if (n < threads.length) {
                return Arrays.asList(threads).subList(0, n);
            }
            threads = new Thread[threads.length * 2];
        }
        throw new IllegalStateException("more threads than " + threads.length + " to enumerate");
    }
}
