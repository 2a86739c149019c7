package dev.resilienthttp.faults.internal.proxy;

import dev.resilienthttp.faults.internal.toxic.Direction;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One named proxy: its listen and upstream addresses, whether it is enabled, its toxics, and
 * its live connections. Methods are synchronized; connection threads never take this lock.
 */
public final class FaultProxy {
    /** Bounds the wait for an accept loop that is dialling an upstream (see {@link Upstream}). */
    private static final Duration ACCEPT_LOOP_WAIT = Duration.ofSeconds(6);

    private final String name;
    private final Workers workers;
    private final ProxyToxics toxics = new ProxyToxics();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private String listen;
    private String upstream;
    private Acceptor acceptor;

    FaultProxy(String name, String listen, String upstream, Workers workers) {
        this.name = name;
        this.listen = listen;
        this.upstream = upstream;
        this.workers = workers;
    }

    public String name() {
        return name;
    }

    public synchronized String listen() {
        return listen;
    }

    public synchronized String upstream() {
        return upstream;
    }

    public synchronized boolean enabled() {
        return acceptor != null;
    }

    public List<ToxicSpec> toxics() {
        return toxics.all();
    }

    public Optional<ToxicSpec> toxic(String toxicName) {
        return toxics.find(toxicName);
    }

    /** Listens on {@code listen}, then stores the address actually bound (so port 0 keeps its port). */
    synchronized void start() throws ApiException {
        if (acceptor != null) {
            return;
        }
        InetSocketAddress address = Addresses.forListen(listen);
        try {
            acceptor = Acceptor.open(address, upstream, workers, name, this::connected);
        } catch (IOException e) {
            throw ApiException.internal("listen tcp " + listen + ": bind: " + e.getMessage().toLowerCase());
        }
        listen = Addresses.print(acceptor.address(), acceptor.port());
    }

    /** Closes the listener, then both sockets of every live connection; toxics stay. */
    synchronized void stop() {
        if (acceptor != null) {
            acceptor.close(ACCEPT_LOOP_WAIT);
            acceptor = null;
        }
        for (Connection connection : connections) {
            connection.close();
        }
        connections.clear();
    }

    /**
     * Go's {@code Proxy.Update}: a listen that resolves differently, or another upstream, stops
     * the proxy and stores the new values; then the enabled state is applied.
     */
    synchronized void update(String newListen, String newUpstream, boolean wantEnabled) throws ApiException {
        if (differs(newListen, newUpstream)) {
            stop();
            listen = newListen;
            upstream = newUpstream;
        }
        if (wantEnabled && acceptor == null) {
            start();
        } else if (!wantEnabled && acceptor != null) {
            stop();
        }
    }

    synchronized boolean differs(String otherListen, String otherUpstream) throws ApiException {
        return !listen.equals(Addresses.resolvedForm(otherListen)) || !upstream.equals(otherUpstream);
    }

    public synchronized void addToxic(ToxicSpec toxic) throws ApiException {
        if (toxics.find(toxic.name()).isPresent()) {
            throw ApiException.conflict("toxic already exists");
        }
        toxics.add(toxic);
        pushToLinks(toxic.direction());
    }

    /** Applies {@code change} to the named toxic; it may refuse by throwing. */
    public synchronized ToxicSpec updateToxic(String toxicName, ToxicChange change) throws ApiException {
        ToxicSpec current = toxics.find(toxicName).orElseThrow(() -> ApiException.notFound("toxic not found"));
        ToxicSpec updated = change.apply(current);
        toxics.replace(updated);
        pushToLinks(updated.direction());
        return updated;
    }

    public synchronized void removeToxic(String toxicName) throws ApiException {
        ToxicSpec toxic = toxics.find(toxicName).orElseThrow(() -> ApiException.notFound("toxic not found"));
        toxics.remove(toxic);
        pushToLinks(toxic.direction());
    }

    synchronized void removeAllToxics() {
        toxics.clear();
        pushToLinks(Direction.UPSTREAM);
        pushToLinks(Direction.DOWNSTREAM);
    }

    private void pushToLinks(Direction direction) {
        List<ToxicSpec> list = toxics.of(direction);
        connections.forEach(c -> c.reconfigure(direction, list));
    }

    /** Accept thread: registers first, then snapshots the toxics, so no change can slip between. */
    private void connected(Socket client, Socket upstreamSocket) {
        Connection connection = new Connection(client, upstreamSocket, toxics, connections::remove);
        connections.add(connection);
        connection.start(toxics, workers, name + "-" + connectionIds.incrementAndGet());
    }

    /** A toxic update that may be refused. */
    @FunctionalInterface
    public interface ToxicChange {
        ToxicSpec apply(ToxicSpec current) throws ApiException;
    }
}
