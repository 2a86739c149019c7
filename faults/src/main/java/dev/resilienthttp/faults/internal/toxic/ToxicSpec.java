package dev.resilienthttp.faults.internal.toxic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One toxic as the API knows it. {@code stream} is kept exactly as the client sent it (Toxiproxy
 * echoes {@code "Upstream"} back verbatim); {@code direction} is what it means. {@code attributes}
 * holds every attribute of the type, in the type's order.
 */
public record ToxicSpec(String name, ToxicType type, String stream, Direction direction, float toxicity,
        Map<String, Long> attributes) {

    public ToxicSpec {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public long attribute(String key) {
        Long value = attributes.get(key);
        if (value == null) {
            throw new IllegalArgumentException(type.wireName() + " has no attribute " + key);
        }
        return value;
    }

    public ToxicSpec withAttributes(Map<String, Long> newAttributes) {
        return new ToxicSpec(name, type, stream, direction, toxicity, newAttributes);
    }

    public ToxicSpec withToxicity(float newToxicity) {
        return new ToxicSpec(name, type, stream, direction, newToxicity, attributes);
    }
}
