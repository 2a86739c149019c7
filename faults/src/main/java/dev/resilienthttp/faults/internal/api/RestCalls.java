package dev.resilienthttp.faults.internal.api;

import dev.resilienthttp.faults.internal.json.JsonException;
import dev.resilienthttp.faults.internal.json.JsonFields;
import dev.resilienthttp.faults.internal.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Plain REST calls to a Toxiproxy API, for what toxiproxy-java cannot express (our
 * {@code idle_reset} toxic, whose type its enum cannot name). Failures read like the Java
 * client's: {@code IOException("[400] invalid toxic type")}.
 */
public final class RestCalls {
    private static final int TIMEOUT_MS = 10_000;

    private RestCalls() {
    }

    /** Sends {@code body} (may be null) and returns the response body of a 2xx answer. */
    public static String send(URI api, String method, String path, String body) throws IOException {
        HttpURLConnection http = (HttpURLConnection) api.resolve(path).toURL().openConnection();
        try {
            http.setRequestMethod(method);
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            // No keep-alive: nothing of ours should outlive the call.
            http.setRequestProperty("Connection", "close");
            if (body != null) {
                http.setDoOutput(true);
                http.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = http.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = http.getResponseCode();
            InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream();
            String text = in == null ? "" : readAll(in);
            if (status >= 300) {
                throw new IOException("[" + status + "] " + errorMessage(text));
            }
            return text;
        } finally {
            http.disconnect();
        }
    }

    private static String errorMessage(String text) {
        try {
            return JsonFields.of(JsonReader.parse(text), "error body").string("error").orElse(text.trim());
        } catch (JsonException e) {
            return text.trim();
        }
    }

    private static String readAll(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
