package dev.resilienthttp.faults.internal.json;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, optional access to the members of a decoded JSON object, the way Go's
 * {@code encoding/json} fills a struct: an exact key wins, otherwise keys match
 * case-insensitively; a missing key or {@code null} means "keep the default"; a value of the
 * wrong type is an error naming the field.
 */
public final class JsonFields {
    private final Map<String, Object> members;

    private JsonFields(Map<String, Object> members) {
        this.members = members;
    }

    /** Wraps {@code value}, which must be a JSON object. */
    public static JsonFields of(Object value, String what) throws JsonException {
        if (!(value instanceof Map)) {
            throw new JsonException("expecting " + what + " to be a JSON object, got " + typeName(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) value;
        return new JsonFields(members);
    }

    public Map<String, Object> members() {
        return members;
    }

    public Optional<String> string(String key) throws JsonException {
        Object value = find(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String)) {
            throw wrongType(key, "a string", value);
        }
        return Optional.of((String) value);
    }

    public Optional<Boolean> bool(String key) throws JsonException {
        Object value = find(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean)) {
            throw wrongType(key, "a boolean", value);
        }
        return Optional.of((Boolean) value);
    }

    /** A whole number that fits a Go {@code int64}, as every Toxiproxy attribute is. */
    public Optional<Long> integer(String key) throws JsonException {
        Object value = find(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof BigDecimal)) {
            throw wrongType(key, "an integer", value);
        }
        try {
            return Optional.of(((BigDecimal) value).longValueExact());
        } catch (ArithmeticException e) {
            throw new JsonException("field \"" + key + "\" must be an integer that fits 64 bits, got " + value);
        }
    }

    public Optional<Float> decimal(String key) throws JsonException {
        Object value = find(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof BigDecimal)) {
            throw wrongType(key, "a number", value);
        }
        float f = ((BigDecimal) value).floatValue();
        if (Float.isInfinite(f)) {
            throw new JsonException("field \"" + key + "\" is out of range for a 32-bit float: " + value);
        }
        return Optional.of(f);
    }

    public Optional<JsonFields> object(String key) throws JsonException {
        Object value = find(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map)) {
            throw wrongType(key, "an object", value);
        }
        return Optional.of(of(value, key));
    }

    /** True when {@code key} is present (exactly or case-insensitively), even with value null. */
    public boolean has(String key) {
        return members.containsKey(key)
                || members.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key));
    }

    private Object find(String key) {
        if (members.containsKey(key)) {
            return members.get(key);
        }
        Object found = null;
        for (Map.Entry<String, Object> entry : members.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                found = entry.getValue();
            }
        }
        return found;
    }

    private static JsonException wrongType(String key, String wanted, Object value) {
        return new JsonException("field \"" + key + "\" must be " + wanted + ", got " + typeName(value));
    }

    static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof BigDecimal) {
            return "number " + value;
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Map) {
            return "object";
        }
        return "array";
    }
}
