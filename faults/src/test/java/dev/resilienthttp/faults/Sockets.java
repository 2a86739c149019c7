package dev.resilienthttp.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Client-side socket chores for tests; every read is bounded by a socket timeout. */
final class Sockets {
    /** Long enough for any toxic a test sets up; only reached when something is broken. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private Sockets() {
    }

    /** Connects to a {@code host:port} as Toxiproxy prints it, with TCP_NODELAY and a read timeout. */
    static Socket connect(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                (int) READ_TIMEOUT.toMillis());
        return socket;
    }

    static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads exactly {@code n} bytes, failing on EOF first. */
    static byte[] readExactly(Socket socket, int n) throws IOException {
        byte[] data = socket.getInputStream().readNBytes(n);
        if (data.length != n) {
            throw new AssertionError("EOF after " + data.length + " of " + n + " bytes");
        }
        return data;
    }

    static String readString(Socket socket, int n) throws IOException {
        return new String(readExactly(socket, n), StandardCharsets.UTF_8);
    }

    /** Everything up to EOF (a reset or timeout propagates). */
    static byte[] readToEof(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** How the next read ends: "EOF", "DATA", "TIMEOUT", or the exception's message. */
    static String nextReadOutcome(Socket socket, Duration timeout) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            int b = socket.getInputStream().read();
            return b < 0 ? "EOF" : "DATA";
        } catch (SocketTimeoutException e) {
            return "TIMEOUT";
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(old);
            }
        }
    }

    /** True if nothing listens at {@code port} on 127.0.0.1 (connect refused). */
    static boolean refuses(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
