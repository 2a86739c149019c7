package dev.resilienthttp.retry;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw HTTP/1.1 server on loopback for uploads: its first connection reads the request's headers and
 * {@code cutAfter} bytes of its body, then resets (RST), as a server or path dropping a connection mid-upload does;
 * the later ones read a chunked body in full and answer 200, or note how far it got when the client cut it. One
 * thread serves the connections one after another, at most {@link #MAX_CONNECTIONS}.
 */
final class UploadCuttingServer implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 4;
    private static final int MAX_LINE = 8 * 1024;
    private static final Duration JOIN_BOUND = Duration.ofSeconds(10);

    /** What one connection's request came to: its body, and whether the client completed it. */
    record Upload(int connection, byte[] body, boolean complete) {
    }

    private final int cutAfter;
    private final ServerSocket server;
    private final Thread thread;
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private volatile Socket current;

    UploadCuttingServer(int cutAfter) throws IOException {
        this.cutAfter = cutAfter;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "upload-cutting-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    /** Every request read, in order; complete only once {@link #close} has returned. */
    List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    private void serve() {
        for (int connection = 0; connection < MAX_CONNECTIONS; connection++) {
            try (Socket socket = server.accept()) {
                current = socket;
                InputStream in = new BufferedInputStream(socket.getInputStream());
                readHeaders(in);
                if (connection == 0) {
                    in.readNBytes(cutAfter);
                    socket.setSoLinger(true, 0);   // close() now sends RST
                    uploads.add(new Upload(connection, new byte[0], false));
                    continue;
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                boolean complete = readChunked(in, body);
                uploads.add(new Upload(connection, body.toByteArray(), complete));
                if (complete) {
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException closedOrCut) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        for (int i = 0; i < 200; i++) {
            if (readLine(in).isEmpty()) {
                return;
            }
        }
        throw new IOException("more than 200 header lines");
    }

    /** Reads a chunked body into {@code body}: whether it ended with its last chunk, or was cut before. */
    private static boolean readChunked(InputStream in, ByteArrayOutputStream body) {
        try {
            while (true) {   // ends: each turn reads a chunk, or throws at the end of the stream
                int size = Integer.parseInt(readLine(in).split(";", 2)[0].trim(), 16);
                if (size == 0) {
                    readLine(in);
                    return true;
                }
                byte[] chunk = in.readNBytes(size);
                body.write(chunk);
                if (chunk.length < size || !readLine(in).isEmpty()) {
                    return false;
                }
            }
        } catch (IOException | NumberFormatException cut) {
            return false;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < MAX_LINE) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("the connection ended inside a line");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        throw new IOException("a line longer than " + MAX_LINE + " bytes");
    }

    /** Stops accepting, ends the connection being served, and waits for the server's thread. */
    @Override
    public void close() throws IOException {
        server.close();
        Socket socket = current;
        if (socket != null) {
            socket.close();
        }
        try {
            thread.join(JOIN_BOUND.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // AutoCloseable's close must not throw it (javac's try lint)
            return;
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " still running after close");
        }
    }
}
