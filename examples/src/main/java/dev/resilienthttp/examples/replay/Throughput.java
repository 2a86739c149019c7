package dev.resilienthttp.examples.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How fast a pipeline made its first pass of the source events: {@code events} first passes done over {@code span}.
 * The span runs from the moment the replay began producing the first burst to the source topic (no event can be
 * processed before; the first reaches a consumer a few milliseconds later on loopback) to the moment the last source
 * event's first pass was done ({@link Ledger}: the pipeline's first record for it, by its Kafka timestamp). Both ends
 * are wall-clock times of this process, in milliseconds: Kafka's timestamps are.
 *
 * <p>With several bursts the quiet gaps between them are inside the span: measure throughput with
 * {@code --bursts 1}.
 *
 * @param events first passes done: source events succeeded, or routed to the error or dead-letter topic
 * @param span   from the first burst's release to the last first pass done; zero when no event was done
 */
record Throughput(int events, Duration span) {
    /** Kafka's timestamps have millisecond resolution: a shorter span is counted as one millisecond. */
    private static final Duration RESOLUTION = Duration.ofMillis(1);

    static Throughput between(Instant released, Optional<Instant> lastDone, int events) {
        Duration span = lastDone.map(done -> Duration.between(released, done)).orElse(Duration.ZERO);
        return new Throughput(events, span.isNegative() ? Duration.ZERO : span);
    }

    /** Events per second over the span; 0 when no event was done. */
    double eventsPerSecond() {
        if (events == 0) {
            return 0;
        }
        Duration measured = span.compareTo(RESOLUTION) < 0 ? RESOLUTION : span;
        return events * 1e9 / measured.toNanos();
    }
}
