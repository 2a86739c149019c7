package dev.resilienthttp.faults.internal.api;

import dev.resilienthttp.faults.internal.json.JsonWriter;
import dev.resilienthttp.faults.internal.proxy.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: a status, and a body with its content type (no body for 204/405). */
record Response(int status, String contentType, String body) {
    static final String JSON = "application/json";
    /** Go's {@code http.Error} writes API errors, so they go out as plain text holding JSON (a quirk we keep). */
    static final String TEXT = "text/plain; charset=utf-8";

    static Response json(int status, Object value) {
        return new Response(status, JSON, JsonWriter.write(value));
    }

    static Response noContent() {
        return new Response(204, null, null);
    }

    static Response error(ApiException e) {
        return error(e, Map.of());
    }

    /** {@code {"error":…,"status":…}} plus any extra members (populate adds the proxies it made). */
    static Response error(ApiException e, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("status", e.status());
        body.putAll(extra);
        return new Response(e.status(), TEXT, JsonWriter.write(body) + "\n");
    }

    static Response text(int status, String text) {
        return new Response(status, TEXT, text + "\n");
    }
}
