package dev.resilienthttp.faults.internal.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An enabled proxy's listening socket and its accept thread. As in Go, the upstream is dialled
 * inside the accept loop, and a failed dial closes the client at once (the client sees its
 * connect succeed, then EOF, never "connection refused").
 */
final class Acceptor {
    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
    /**
     * Connections the kernel may hold for the accept loop. Go's {@code net.Listen} asks for the kernel's most
     * ({@code net.core.somaxconn}, at most 65,535), and so does this: the kernel caps it. Java's default, 50, overflowed
     * when a client opened 200 connections at once (a pool replaced under load): the kernel's ListenOverflows rose by
     * hundreds and the client saw resets before any response byte that no toxic had asked for.
     */
    private static final int BACKLOG = 65_535;

    private final ServerSocket server;
    private final Thread thread;

    private Acceptor(ServerSocket server, Thread thread) {
        this.server = server;
        this.thread = thread;
    }

    /**
     * Binds {@code address} and starts accepting; each client socket with its dialled upstream
     * socket goes to {@code onConnection}.
     */
    static Acceptor open(InetSocketAddress address, String upstream, Workers workers, String name,
            SocketPair onConnection) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            // Go sets it too: a quick re-enable must work while old connections sit in TIME_WAIT.
            server.setReuseAddress(true);
            server.bind(address, BACKLOG);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Thread thread = workers.start(name + "-accept", () -> acceptLoop(server, upstream, name, onConnection));
        return new Acceptor(server, thread);
    }

    private static void acceptLoop(ServerSocket server, String upstream, String name, SocketPair onConnection) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("proxy {} accept failed", name, e);
                }
                continue;
            }
            try {
                client.setTcpNoDelay(true);
                onConnection.accept(client, Upstream.dial(upstream));
            } catch (IOException | RuntimeException e) {
                LOG.info("proxy {}: cannot reach upstream {}: {}", name, upstream, e.toString());
                closeQuietly(client);
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    InetAddress address() {
        return server.getInetAddress();
    }

    /** Closes the listener (new connects are refused) and waits for the accept loop to end. */
    void close(Duration wait) {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
        try {
            TimeUnit.NANOSECONDS.timedJoin(thread, wait.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    /** Receives a new connection's two sockets. */
    @FunctionalInterface
    interface SocketPair {
        void accept(Socket client, Socket upstream) throws IOException;
    }

}
