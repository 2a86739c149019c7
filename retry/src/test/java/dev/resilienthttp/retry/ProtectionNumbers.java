package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The numbers of each protection scenario, per way of sending, printed as one {@code RETRY-NUMBERS} line per
 * scenario when the test class ends, like {@link RetryNumbers} but with what a protection is judged by: the
 * requests the origin saw, the bound they must stay under, the calls' ends by kind. Recorded before the
 * assertions, so a failing run still says what it saw.
 */
final class ProtectionNumbers {
    private final Map<String, List<String>> byScenario = new LinkedHashMap<>();

    /** @param facts {@code name=value} pairs, in the order given */
    synchronized void record(String scenario, String client, Map<String, ?> facts) {
        byScenario.computeIfAbsent(scenario, s -> new ArrayList<>()).add(client + " " + facts.entrySet().stream()
                .map(fact -> fact.getKey() + "=" + fact.getValue()).collect(Collectors.joining(" ")));
    }

    synchronized void print() {
        byScenario.forEach((scenario, clients) -> System.out.println("RETRY-NUMBERS " + scenario + ": "
                + String.join(" | ", clients)));
        System.out.flush();
    }

    /** How many of {@code items} end with each kind, in the kinds' declared order. */
    static <T> Map<FailureKind, Long> byKind(Collection<T> items, Function<T, FailureKind> kind) {
        return items.stream().collect(Collectors.groupingBy(kind, () -> new EnumMap<>(FailureKind.class),
                Collectors.counting()));
    }
}
