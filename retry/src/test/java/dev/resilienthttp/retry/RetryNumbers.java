package dev.resilienthttp.retry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The numbers of each fault scenario, per client, printed as one {@code RETRY-NUMBERS} line per scenario when the
 * test class ends (surefire writes stdout to {@code target/surefire-reports/*-output.txt}). Recorded before the
 * assertions, so a failing run still says what it saw.
 */
final class RetryNumbers {
    private final Map<String, List<String>> byScenario = new LinkedHashMap<>();

    /**
     * @param duplicates requests the origin saw beyond the first of each call (re-sends that reached it)
     */
    synchronized void record(String scenario, String client, int calls, int succeeded, long duplicates) {
        byScenario.computeIfAbsent(scenario, s -> new ArrayList<>()).add(String.format(
                "%s calls=%d succeeded=%d failed=%d server-seen-duplicates=%d",
                client, calls, succeeded, calls - succeeded, duplicates));
    }

    synchronized void print() {
        // resilient-http first, the raw JDK client last, whatever order the tests ran in.
        Comparator<String> order = Comparator.comparing((String client) -> client.startsWith("raw"))
                .thenComparing(Comparator.naturalOrder());
        byScenario.forEach((scenario, clients) -> System.out.println("RETRY-NUMBERS " + scenario + ": "
                + clients.stream().sorted(order).collect(Collectors.joining(" | "))));
        System.out.flush();
    }
}
