package dev.resilienthttp.examples.replay;

import java.io.PrintStream;

/** Progress lines on stderr, each stamped with the seconds since the replay started. Thread-safe. */
final class Progress {
    private final PrintStream err;
    private final long start = System.nanoTime();

    Progress(PrintStream err) {
        this.err = err;
    }

    synchronized void say(String format, Object... args) {
        err.printf("[%5.1f s] %s%n", seconds(), String.format(format, args));
        err.flush();
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
