package dev.resilienthttp.retry;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URI;
import java.nio.file.Path;
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

    /**
     * WireMock over TLS only, with the key and certificate of {@code keyStore} (PKCS12, {@code password} for the
     * store and the key): HTTP/2 to a client that offers {@code h2} by ALPN, HTTP/1.1 to the others. WireMock 3
     * brings Jetty 11's HTTP/2 and ALPN server for this, so no other Jetty is needed (nor possible: a Jetty 12
     * beside WireMock's Jetty 11 would replace its {@code jetty-server}).
     */
    static WireMockOrigin startHttps(Path keyStore, String password) {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort().keystorePath(keyStore.toString()).keystoreType("PKCS12")
                .keystorePassword(password).keyManagerPassword(password));
        server.start();
        return new WireMockOrigin(server);
    }

    WireMockServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    /** The TLS port of an origin {@link #startHttps started over TLS}. */
    int httpsPort() {
        return server.httpsPort();
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
