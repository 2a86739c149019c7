package dev.resilienthttp.faults.internal.api;

import dev.resilienthttp.faults.internal.json.JsonException;
import dev.resilienthttp.faults.internal.json.JsonFields;
import dev.resilienthttp.faults.internal.json.JsonReader;
import dev.resilienthttp.faults.internal.proxy.ApiException;
import dev.resilienthttp.faults.internal.proxy.FaultProxy;
import dev.resilienthttp.faults.internal.proxy.ProxyDraft;
import dev.resilienthttp.faults.internal.toxic.Direction;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import dev.resilienthttp.faults.internal.toxic.ToxicType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Request bodies decoded as Go's {@code encoding/json} fills Toxiproxy's structs, with the
 * checks in Go's order so the same bad request gets the same error.
 */
final class Bodies {
    private static final String DEFAULT_STREAM = "downstream";

    private Bodies() {
    }

    static JsonFields object(String body) throws ApiException {
        try {
            return JsonFields.of(JsonReader.parse(body), "the body");
        } catch (JsonException e) {
            throw badBody(e);
        }
    }

    static List<JsonFields> array(String body) throws ApiException {
        try {
            Object value = JsonReader.parse(body);
            if (!(value instanceof List)) {
                throw new JsonException("expecting the body to be a JSON array of proxies");
            }
            List<JsonFields> items = new ArrayList<>();
            for (Object item : (List<?>) value) {
                items.add(JsonFields.of(item, "each proxy"));
            }
            return items;
        } catch (JsonException e) {
            throw badBody(e);
        }
    }

    /** A missing {@code enabled} means true, as in Go. */
    static ProxyDraft proxyDraft(JsonFields json) throws ApiException {
        try {
            return new ProxyDraft(json.string("name").orElse(""), json.string("listen").orElse(""),
                    json.string("upstream").orElse(""), json.bool("enabled").orElse(true));
        } catch (JsonException e) {
            throw badBody(e);
        }
    }

    /** Go's {@code AddToxicJson}: stream, default name, type, name in use, then attributes. */
    static ToxicSpec newToxic(JsonFields json, FaultProxy proxy) throws ApiException {
        try {
            String stream = json.string("stream").orElse(DEFAULT_STREAM);
            Optional<String> typeName = json.string("type");
            Optional<String> name = json.string("name");
            float toxicity = json.decimal("toxicity").orElse(1f);
            Optional<JsonFields> attributes = json.object("attributes");
            Direction direction = Direction.parse(stream).orElseThrow(
                    () -> ApiException.badRequest("stream was invalid, can be either upstream or downstream"));
            ToxicType type = typeName.flatMap(ToxicType::byWireName)
                    .orElseThrow(() -> ApiException.badRequest("invalid toxic type"));
            String toxicName = name.filter(n -> !n.isEmpty()).orElse(typeName.get() + "_" + stream);
            if (proxy.toxic(toxicName).isPresent()) {
                throw ApiException.conflict("toxic already exists");
            }
            Map<String, Long> values = overlay(type, type.zeroAttributes(), attributes);
            return checked(new ToxicSpec(toxicName, type, stream, direction, toxicity, values));
        } catch (JsonException e) {
            throw badBody(e);
        }
    }

    /** Go's {@code UpdateToxicJson}: attributes merge into the current ones; name, type and stream are ignored. */
    static ToxicSpec updatedToxic(JsonFields json, ToxicSpec current) throws ApiException {
        try {
            float toxicity = json.decimal("toxicity").orElse(current.toxicity());
            Map<String, Long> values = overlay(current.type(), current.attributes(), json.object("attributes"));
            return checked(current.withAttributes(values).withToxicity(toxicity));
        } catch (JsonException e) {
            throw badBody(e);
        }
    }

    private static Map<String, Long> overlay(ToxicType type, Map<String, Long> base, Optional<JsonFields> given)
            throws JsonException {
        Map<String, Long> values = new LinkedHashMap<>(base);
        if (given.isPresent()) {
            for (String attribute : type.attributeNames()) {
                Optional<Long> value = given.get().integer(attribute);
                if (value.isPresent()) {
                    values.put(attribute, value.get());
                }
            }
        }
        return values;
    }

    private static ToxicSpec checked(ToxicSpec toxic) throws ApiException {
        Optional<String> problem = toxic.type().problem(toxic.attributes());
        if (problem.isPresent()) {
            throw ApiException.badRequest(problem.get());
        }
        return toxic;
    }

    private static ApiException badBody(JsonException e) {
        return ApiException.badRequest("bad request body: " + e.getMessage());
    }
}
