package dev.resilienthttp.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Sockets named as a person reads them: addresses from {@code /proc/net/tcp}'s hex, and the TCP state. */
class TcpTableTest {

    @Test
    void readsAnIpv4AddressWrittenInTheHostsByteOrder() {
        assertThat(TcpTable.address("0100007F:1F90")).isEqualTo("127.0.0.1:8080");
    }

    @Test
    void readsAnIpv4MappedIpv6AddressAsTheIpv4One() {
        assertThat(TcpTable.address("0000000000000000FFFF00000100007F:1F90")).isEqualTo("127.0.0.1:8080");
    }

    @Test
    void readsAnIpv6Address() {
        assertThat(TcpTable.address("00000000000000000000000001000000:0050")).isEqualTo("[0:0:0:0:0:0:0:1]:80");
    }

    @Test
    void namesAConnectedAndAListeningSocketOfThisProcess() throws IOException {
        assumeTrue(OpenSockets.countable(), "sockets are read from /proc, which this OS lacks");
        Set<String> before = OpenSockets.inodes();
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listening.getLocalPort())) {
            Set<String> opened = new TreeSet<>(OpenSockets.inodes());
            opened.removeAll(before);

            Map<String, String> described = TcpTable.describe(opened);

            int port = listening.getLocalPort();
            assertThat(described.values()).containsExactlyInAnyOrder("127.0.0.1:" + port + " LISTEN",
                    "127.0.0.1:" + client.getLocalPort() + " -> 127.0.0.1:" + port + " ESTABLISHED");
        }
    }
}
