package dev.resilienthttp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The network sockets this process holds open, read from {@code /proc/self/fd} (Linux): the descriptors whose link
 * is {@code socket:[inode]}, less the Unix-domain ones ({@code /proc/net/unix}), which the JVM opens for itself at
 * times. TCP and UDP, listening sockets included. Elsewhere (macOS, Windows) there is no {@code /proc}:
 * {@link #countable()} says so, and the rest throws.
 */
public final class OpenSockets {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Path UNIX = Path.of("/proc/net/unix");
    private static final String SOCKET = "socket:[";

    private OpenSockets() {
    }

    /** Whether this OS shows the process's sockets the way this class reads them. */
    public static boolean countable() {
        return Files.isDirectory(FDS) && Files.isReadable(UNIX);
    }

    /**
     * The open network sockets now.
     *
     * @throws UncheckedIOException where they cannot be read ({@link #countable()} is false)
     */
    public static int count() {
        return inodes().size();
    }

    /** The inodes of the open network sockets now, sorted: two snapshots tell which sockets opened between them. */
    static Set<String> inodes() {
        try {
            Set<String> unix = unixInodes();
            Set<String> sockets = new TreeSet<>();
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
                for (Path fd : fds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException closedMeanwhile) {
                        continue;   // closed between listing and reading it: not open
                    }
                    if (target.startsWith(SOCKET) && target.endsWith("]")) {
                        String inode = target.substring(SOCKET.length(), target.length() - 1);
                        if (!unix.contains(inode)) {
                            sockets.add(inode);
                        }
                    }
                }
            }
            return sockets;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the open sockets from " + FDS, e);
        }
    }

    /** The inodes of the Unix-domain sockets of this network namespace: the seventh column, after a header line. */
    private static Set<String> unixInodes() throws IOException {
        List<String> lines = Files.readAllLines(UNIX);
        Set<String> inodes = new HashSet<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 7) {
                inodes.add(columns[6]);
            }
        }
        return inodes;
    }
}
