package dev.resilienthttp.faults.internal.toxic;

import java.util.Locale;
import java.util.Optional;

/** Which bytes a toxic acts on: upstream = client to server, downstream = server to client. */
public enum Direction {
    UPSTREAM,
    DOWNSTREAM;

    /** Toxiproxy matches the stream name case-insensitively (and echoes it as sent). */
    public static Optional<Direction> parse(String stream) {
        switch (stream.toLowerCase(Locale.ROOT)) {
            case "upstream": return Optional.of(UPSTREAM);
            case "downstream": return Optional.of(DOWNSTREAM);
            default: return Optional.empty();
        }
    }
}
