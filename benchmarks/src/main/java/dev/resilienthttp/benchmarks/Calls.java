package dev.resilienthttp.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;

/**
 * Per benchmark thread: calls made and calls failed in each iteration, which JMH sums over threads and reports
 * next to the score ({@code calls}, {@code transportFailures}, {@code statusFailures}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Calls {
    /** A few messages per thread are enough to say what failed; a broken setup must not flood the log. */
    private static final int MESSAGES_SHOWN = 3;

    public long calls;
    public long transportFailures;
    public long statusFailures;
    private int shown;

    @Setup(Level.Iteration)
    public void reset() {
        calls = 0;
        transportFailures = 0;
        statusFailures = 0;
    }

    /**
     * Makes one call through {@code poster} and counts it, and its failure if it fails: the body of a benchmark
     * method that must run through failures and report them.
     *
     * @return the status, or -1 if the call failed in transport or was interrupted
     */
    int post(Poster poster, byte[] body) {
        calls++;
        try {
            int status = poster.post(body, null);
            if (status != 200) {
                statusFailures++;
            }
            return status;
        } catch (IOException e) {
            transportFailed(e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    void transportFailed(Exception e) {
        transportFailures++;
        if (shown < MESSAGES_SHOWN) {
            shown++;
            System.err.println("transport failure: " + e + (e.getCause() == null ? "" : " <- " + e.getCause()));
        }
    }
}
