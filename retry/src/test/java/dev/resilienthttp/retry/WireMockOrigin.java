package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** WireMock on a free loopback port as the origin, and what it saw: requests in arrival order, repeats. */
final class WireMockOrigin implements AutoCloseable {
    private final WireMockServer server;

    private WireMockOrigin(WireMockServer server) {
        this.server = server;
    }

    static WireMockOrigin start() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return new WireMockOrigin(server);
    }

    WireMockServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Every request received, oldest first. */
    List<LoggedRequest> requests() {
        List<LoggedRequest> requests = server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .collect(Collectors.toCollection(ArrayList::new));
        // WireMock lists the newest first.
        Collections.reverse(requests);
        return requests;
    }

    /** When each request arrived (millisecond resolution), oldest first. */
    List<Instant> arrivals() {
        return requests().stream().map(request -> request.getLoggedDate().toInstant()).collect(Collectors.toList());
    }

    /** How many times the origin saw each value of {@code header}. */
    Map<String, Long> timesSeen(String header) {
        return requests().stream().collect(Collectors.groupingBy(
                request -> String.valueOf(request.getHeader(header)), Collectors.counting()));
    }

    /** Requests beyond the first for each value of {@code header}: the re-sends that reached the origin. */
    long duplicates(String header) {
        return timesSeen(header).values().stream().mapToLong(count -> count - 1).sum();
    }

    @Override
    public void close() {
        server.stop();
    }
}
