package dev.resilienthttp.faults.internal.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Dials a proxy's upstream. The address is resolved at every dial and every address is tried in
 * turn, as Go falls back between {@code ::1} and {@code 127.0.0.1}.
 */
final class Upstream {
    /**
     * Go dials with no timeout; we bound it so that the accept loop, which dials, always ends
     * when the proxy stops. Loopback connects answer in microseconds, so this only bites on
     * unroutable upstreams.
     */
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private Upstream() {
    }

    static Socket dial(String upstream) throws IOException {
        String[] hostPort;
        int port;
        try {
            hostPort = Addresses.split(upstream);
            port = Integer.parseInt(hostPort[1]);
        } catch (ApiException | NumberFormatException e) {
            throw new IOException("bad upstream address " + upstream, e);
        }
        IOException last = new IOException("no address for " + upstream);
        for (InetAddress address : InetAddress.getAllByName(hostPort[0].isEmpty() ? null : hostPort[0])) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last;
    }
}
