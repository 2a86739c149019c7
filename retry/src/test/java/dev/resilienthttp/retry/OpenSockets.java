package dev.resilienthttp.retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The network sockets this process holds open, from {@code /proc/self/fd} (Linux): the entries whose link target is
 * {@code socket:[inode]}, less the Unix-domain ones ({@code /proc/net/unix}), which the JVM opens for itself at times
 * (one appeared, connected, while a test's first server socket was bound). Where there is no {@code /proc},
 * {@link #countable()} says so.
 */
final class OpenSockets {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Path UNIX = Path.of("/proc/net/unix");
    private static final String SOCKET = "socket:[";

    private OpenSockets() {
    }

    static boolean countable() {
        return Files.isDirectory(FDS) && Files.isReadable(UNIX);
    }

    /** Open TCP and UDP socket descriptors now, listening ones included. */
    static int count() {
        try {
            Set<String> unix = unixInodes();
            int sockets = 0;
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
                for (Path fd : fds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException closedMeanwhile) {
                        continue;   // closed between listing and reading it: not open
                    }
                    if (target.startsWith(SOCKET)
                            && !unix.contains(target.substring(SOCKET.length(), target.length() - 1))) {
                        sockets++;
                    }
                }
            }
            return sockets;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count the open sockets", e);
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
