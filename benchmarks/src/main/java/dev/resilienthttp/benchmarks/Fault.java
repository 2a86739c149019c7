package dev.resilienthttp.benchmarks;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A fault the test kit's proxy puts between client and server, and the workload that meets it.
 *
 * <p>{@code reset_peer}: Toxiproxy draws toxicity per connection, so the server answers {@code Connection: close}
 * and every call opens its own connection and meets its own draw; the proxy resets the connection when the request
 * arrives and drops it, so the server never sees a reset call. Closed loop: 4 threads, no pause.
 *
 * <p>{@code idle_reset}: a NAT that forgets a connection idle longer than 200 ms and answers the next packet with
 * RST; keep-alive connections, 2 users pausing 0–800 ms (uniform, the same seeded draws for every client) between
 * calls, so that many calls meet a pooled connection the proxy has forgotten (with more users the pool's
 * connections rarely idle that long).
 */
enum Fault {
    NONE("no fault (through the proxy)", false, 4, 500, Duration.ZERO),
    RESET_PEER_5("reset_peer, 5 % of connections", true, 4, 500, Duration.ZERO),
    RESET_PEER_20("reset_peer, 20 % of connections", true, 4, 500, Duration.ZERO),
    IDLE_RESET("idle_reset 200 ms, pauses 0–800 ms", false, 2, 80, Duration.ofMillis(800));

    static final Duration IDLE = Duration.ofMillis(200);

    private final String description;
    private final boolean closeEach;
    private final int users;
    private final int callsPerUser;
    private final Duration maxPause;

    Fault(String description, boolean closeEach, int users, int callsPerUser, Duration maxPause) {
        this.description = description;
        this.closeEach = closeEach;
        this.users = users;
        this.callsPerUser = callsPerUser;
        this.maxPause = maxPause;
    }

    String description() {
        return description;
    }

    /** Whether the server must answer {@code Connection: close} (see the class comment). */
    boolean closeEach() {
        return closeEach;
    }

    int users() {
        return users;
    }

    int callsPerUser() {
        return callsPerUser;
    }

    /** The longest pause between two calls of a user; zero for a closed loop. */
    Duration maxPause() {
        return maxPause;
    }

    /** Puts this fault on {@code proxy}, whose API is at {@code api}. */
    void apply(Proxy proxy, URI api) throws IOException, InterruptedException {
        switch (this) {
            case NONE -> {
            }
            case RESET_PEER_5 -> proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0).setToxicity(0.05f);
            case RESET_PEER_20 -> proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0).setToxicity(0.20f);
            case IDLE_RESET -> addIdleReset(proxy.getName(), api);
        }
    }

    /** Our {@code idle_reset} toxic through the REST API (toxiproxy-java's enum cannot name it). */
    private static void addIdleReset(String proxyName, URI api) throws IOException, InterruptedException {
        String body = "{\"name\":\"nat\",\"type\":\"idle_reset\",\"stream\":\"upstream\",\"toxicity\":1,"
                + "\"attributes\":{\"idle_ms\":" + IDLE.toMillis() + "}}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(api.resolve("/proxies/" + proxyName + "/toxics"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("cannot add idle_reset: HTTP " + response.statusCode() + " " + response.body());
        }
    }
}
