package dev.resilienthttp.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names sockets by their inode from {@code /proc/net/tcp} and {@code /proc/net/tcp6}: local and remote address and
 * the TCP state, e.g. {@code 127.0.0.1:41234 -> 127.0.0.1:8080 ESTABLISHED} or {@code 127.0.0.1:8080 LISTEN}. Only for failure messages: a socket
 * not found there (UDP, closed meanwhile) is named by its inode alone.
 */
final class TcpTable {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    /** The kernel's TCP states, indexed by the hex number in the {@code st} column (include/net/tcp_states.h). */
    private static final String[] STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    private TcpTable() {
    }

    /** Each inode's description, for the inodes given; the others are left out. */
    static Map<String, String> describe(Iterable<String> inodes) {
        Map<String, String> all = new HashMap<>();
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException | RuntimeException noTable) {
                continue;   // no IPv6, or not Linux: the inode alone names the socket
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length >= 10) {
                    String state = state(columns[3]);
                    all.put(columns[9], address(columns[1])
                            + ("LISTEN".equals(state) ? "" : " -> " + address(columns[2])) + " " + state);
                }
            }
        }
        Map<String, String> wanted = new HashMap<>();
        for (String inode : inodes) {
            wanted.put(inode, all.getOrDefault(inode, "socket:[" + inode + "]"));
        }
        return wanted;
    }

    private static String state(String hex) {
        int state = Integer.parseInt(hex, 16);
        return state > 0 && state < STATES.length ? STATES[state] : hex;
    }

    /**
     * {@code 0100007F:1F90} is 127.0.0.1:8080: the address in the host's byte order, 32 bits at a time. An IPv6
     * address that maps an IPv4 one (a dual-stack Java socket's) is printed as the IPv4 one.
     */
    static String address(String column) {
        int colon = column.indexOf(':');
        String host = column.substring(0, colon);
        int port = Integer.parseInt(column.substring(colon + 1), 16);
        byte[] bytes = new byte[host.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                // Little-endian hosts (x86, ARM as Linux runs it) print each 32-bit word's bytes backwards.
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(host.substring(at, at + 2), 16);
            }
        }
        if (bytes.length == 4 || bytes.length == 16 && isIpv4Mapped(bytes)) {
            int at = bytes.length - 4;
            return (bytes[at] & 0xff) + "." + (bytes[at + 1] & 0xff) + "." + (bytes[at + 2] & 0xff) + "."
                    + (bytes[at + 3] & 0xff) + ":" + port;
        }
        StringBuilder v6 = new StringBuilder("[");
        for (int i = 0; i < bytes.length; i += 2) {
            v6.append(i == 0 ? "" : ":").append(Integer.toHexString((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff));
        }
        return v6.append("]:").append(port).toString();
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
