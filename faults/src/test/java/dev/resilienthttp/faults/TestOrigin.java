package dev.resilienthttp.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The upstream server of a test, on 127.0.0.1 and a free port. In echo mode each connection
 * echoes what it reads; in manual mode the test takes the server side of each connection with
 * {@link #nextConnection} and drives it itself. {@link #close} closes every socket and joins every thread.
 */
final class TestOrigin implements AutoCloseable {
    private final ServerSocket server;
    private final boolean echo;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private TestOrigin(boolean echo) throws IOException {
        this.echo = echo;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("origin-accept", this::acceptLoop);
    }

    static TestOrigin echo() throws IOException {
        return new TestOrigin(true);
    }

    static TestOrigin manual() throws IOException {
        return new TestOrigin(false);
    }

    /** {@code 127.0.0.1:PORT}, for a proxy's upstream. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The server side of the next connection the proxy dialled. */
    Socket nextConnection(Duration wait) throws InterruptedException {
        Socket socket = accepted.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (socket == null) {
            throw new AssertionError("no connection reached the origin within " + wait);
        }
        return socket;
    }

    /** True if the proxy dials the origin within {@code wait} (false: it never did). */
    boolean connectionArrives(Duration wait) throws InterruptedException {
        Socket socket = accepted.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (socket != null) {
            accepted.add(socket);
        }
        return socket != null;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                if (echo) {
                    start("origin-echo", () -> echoLoop(socket));
                } else {
                    accepted.add(socket);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echoLoop(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError(e);
        } catch (IOException e) {
            // The proxy closed or reset the connection: the echo ends.
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, "test-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(5).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing the origin", e);
        }
    }
}
