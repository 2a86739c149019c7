package dev.resilienthttp.faults.internal.proxy;

import dev.resilienthttp.faults.internal.toxic.Direction;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import dev.resilienthttp.faults.internal.toxic.ToxicType;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One accepted client socket, its dialled upstream socket, and the two links between them. */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Socket client;
    private final Socket upstream;
    private final IdleWatch idleWatch;
    private final Consumer<Connection> onClosed;
    private Link upstreamLink;
    private Link downstreamLink;
    private int linksEnded;

    Connection(Socket client, Socket upstream, ProxyToxics toxics, Consumer<Connection> onClosed) {
        this.client = client;
        this.upstream = upstream;
        this.onClosed = onClosed;
        this.idleWatch = new IdleWatch(toxics::all, new Random(), System.nanoTime());
    }

    /**
     * Starts both links on the current toxics. As in Go, a reset_peer toxic in either direction
     * at accept time sets SO_LINGER=0 on both sockets, whatever its toxicity, so any later close
     * sends RST; connections accepted before such a toxic was added end with FIN instead.
     */
    void start(ProxyToxics toxics, Workers workers, String name) {
        try {
            if (toxics.all().stream().anyMatch(t -> t.type() == ToxicType.RESET_PEER)) {
                client.setSoLinger(true, 0);
                upstream.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            LOG.warn("could not set SO_LINGER on {}", name, e);
        }
        synchronized (this) {
            upstreamLink = new Link(this, Direction.UPSTREAM, client, upstream, toxics.of(Direction.UPSTREAM));
            downstreamLink = new Link(this, Direction.DOWNSTREAM, upstream, client, toxics.of(Direction.DOWNSTREAM));
        }
        upstreamLink.start(workers, name);
        downstreamLink.start(workers, name);
    }

    IdleWatch idleWatch() {
        return idleWatch;
    }

    synchronized void reconfigure(Direction direction, List<ToxicSpec> toxics) {
        if (upstreamLink != null) {
            (direction == Direction.UPSTREAM ? upstreamLink : downstreamLink).reconfigure(toxics);
        }
    }

    /** Closes both sockets at once (disable, delete, server close); queued data is dropped. */
    void close() {
        Link up;
        Link down;
        synchronized (this) {
            up = upstreamLink;
            down = downstreamLink;
        }
        closeQuietly(client);
        closeQuietly(upstream);
        if (up != null) {
            up.abort();
            down.abort();
        }
    }

    /** Our idle_reset: the NAT forgot this connection, so both ends get RST. */
    void reset() {
        try {
            client.setSoLinger(true, 0);
            upstream.setSoLinger(true, 0);
        } catch (IOException e) {
            LOG.debug("could not set SO_LINGER for a reset: {}", e.toString());
        }
        close();
    }

    /** A link finished: close what it wrote to; once both have, the connection is gone. */
    void linkEnded(Link link, Socket destination) {
        closeQuietly(destination);
        boolean gone;
        synchronized (this) {
            gone = ++linksEnded == 2;
        }
        if (gone) {
            closeQuietly(client);
            closeQuietly(upstream);
            onClosed.accept(this);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }
}
