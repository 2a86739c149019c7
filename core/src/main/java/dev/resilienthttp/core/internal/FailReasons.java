package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.FailureReport;

import java.time.Duration;
import java.util.Locale;

/**
 * Writes {@link FailureReport#failReason()}: one line a person can act on, e.g.
 * {@code CONNECTION_RESET after 6 attempts in 41.2 s: POST https://host/path: java.net.SocketException: Connection reset}.
 */
public final class FailReasons {
    /** Dead-letter fields and log lines stay readable and small (the incident's field was a free string). */
    public static final int MAX_LENGTH = 512;

    private FailReasons() {
    }

    /** The fail reason of a report. */
    public static String of(FailureReport report) {
        StringBuilder line = new StringBuilder(128).append(report.kind());
        if (report.attempts() == 0) {
            line.append(" before any attempt");
        } else {
            line.append(" after ").append(report.attempts()).append(report.attempts() == 1 ? " attempt" : " attempts");
        }
        line.append(" in ").append(seconds(report.elapsed()));
        if (!report.detail().isEmpty()) {
            line.append(" (").append(report.detail()).append(')');
        }
        line.append(": ").append(report.method()).append(' ').append(report.uri());
        if (!report.timeline().isEmpty()) {
            FailureReport.Attempt last = report.timeline().get(report.attempts() - 1);
            if (last.status() != 0) {
                line.append(": HTTP ").append(last.status());
            } else if (!last.exceptionClass().isEmpty()) {
                line.append(": ").append(last.exceptionClass());
                if (!last.exceptionMessage().isEmpty()) {
                    line.append(": ").append(last.exceptionMessage());
                }
            }
        }
        // The parts are safe already: the URI and messages were redacted when the attempt was recorded.
        return Redaction.truncate(line.toString(), MAX_LENGTH);
    }

    private static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
    }
}
