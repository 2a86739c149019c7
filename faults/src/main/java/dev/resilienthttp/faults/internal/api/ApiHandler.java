package dev.resilienthttp.faults.internal.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.resilienthttp.faults.internal.proxy.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HTTP exchanges into {@link Request}s and {@link Response}s: the browser guard, the
 * request id header, body reading (no Content-Type check, no body at all is fine), and a JSON
 * 500 for anything unexpected, so clients always get an error body they can parse.
 */
final class ApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** Far above any real API body; stops a runaway client from filling the heap. */
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final Router router;

    ApiHandler(Router router) {
        this.router = router;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = respond(exchange);
            } catch (ApiException e) {
                response = Response.error(e);
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = Response.error(ApiException.internal("internal error: " + e));
            }
            send(exchange, response);
        }
    }

    private Response respond(HttpExchange exchange) throws IOException, ApiException {
        exchange.getResponseHeaders().set("X-Toxiproxy-Request-Id", UUID.randomUUID().toString());
        // One connection per call: toxiproxy-java (HttpURLConnection) would keep an idle one open for 5 s after a
        // test, which a leak check then waits for or reports; a test's API calls are few.
        exchange.getResponseHeaders().set("Connection", "close");
        String agent = exchange.getRequestHeaders().getFirst("User-Agent");
        // Go refuses browsers, so that a web page cannot drive the API of a local toxiproxy.
        if (agent != null && agent.startsWith("Mozilla/")) {
            return Response.text(403, "User agent not allowed");
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Request request = new Request(method, segments(exchange.getRequestURI().getRawPath()), body(exchange));
        return router.route(request);
    }

    private static List<String> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return List.of("");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            segments.add(PercentDecoder.decode(raw));
        }
        return segments;
    }

    private static String body(HttpExchange exchange) throws IOException, ApiException {
        InputStream in = exchange.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_BODY_BYTES) {
                throw ApiException.badRequest("bad request body: larger than " + MAX_BODY_BYTES + " bytes");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        if (response.contentType().equals(Response.TEXT)) {
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        }
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
