package dev.resilienthttp.examples.replay;

import org.apache.avro.generic.GenericRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Everything the replay decides at random, drawn once from the seed and then played to both runs alike: the
 * events, which articles are deleted, how the events are grouped into bursts, the quiet gap after each burst, and
 * the burst at which the API starts answering 429.
 *
 * <p>The gaps are what make the NAT bite: each lasts 1.5 to 2.5 times its idle limit, so every connection pooled
 * during a burst has been forgotten when the next burst (or a retry) uses it.
 *
 * <p>With {@code --updates-per-article N} the events come in rounds: round {@code r} (from 1) carries version
 * {@code r} of each article in turn, so an article's updates are spread over the traffic, in version order. When N
 * does not divide the events, the last round is short and its last articles get N - 1 updates. With N = 1 (the
 * default) each event is its own article's version 1, and a seed draws what it drew before versions existed.
 *
 * @param events         the events, in the order they are produced
 * @param deleted        the article ids the API answers 404 for
 * @param bursts         the bursts, in order
 * @param throttledBurst the index of the burst at whose release the API starts answering 429, or -1 for none
 */
record Scenario(List<GenericRecord> events, Set<String> deleted, List<Burst> bursts, int throttledBurst) {
    /**
     * Consecutive events released at once, then a quiet gap.
     *
     * @param from     index of the first event
     * @param size     number of events
     * @param gapAfter the quiet time before the next burst (zero after the last)
     */
    record Burst(int from, int size, Duration gapAfter) {
    }

    Scenario {
        events = List.copyOf(events);
        deleted = Set.copyOf(deleted);
        bursts = List.copyOf(bursts);
    }

    static Scenario draw(ReplayOptions options) {
        Random random = new Random(options.seed());
        Instant created = Instant.now();
        List<GenericRecord> events = new ArrayList<>();
        Set<String> deleted = new LinkedHashSet<>();
        int articles = options.articles();
        for (int i = 0; i < options.events(); i++) {
            String articleId = String.format("article-%05d", i % articles + 1);
            int version = i / articles + 1;
            events.add(ArticleEvents.event(articleId, version, uuid(random), created.plusMillis(i + 1)));
            // Deleted or not is the article's: drawn once, at its first update.
            if (version == 1 && random.nextDouble() < options.deletedRate()) {
                deleted.add(articleId);
            }
        }
        List<Burst> bursts = bursts(random, options);
        int throttled = options.throttleMs() == 0 ? -1
                : options.bursts() < 3 ? 0 : 1 + random.nextInt(options.bursts() - 2);
        return new Scenario(events, deleted, bursts, throttled);
    }

    /** Burst sizes vary ±50 % around the mean; the sizes add up to every event. */
    private static List<Burst> bursts(Random random, ReplayOptions options) {
        int count = options.bursts();
        double[] weights = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            weights[i] = 0.5 + random.nextDouble();
            total += weights[i];
        }
        List<Burst> bursts = new ArrayList<>();
        int from = 0;
        double cumulative = 0;
        for (int i = 0; i < count; i++) {
            cumulative += weights[i];
            int to = i == count - 1 ? options.events()
                    : Math.max(from + 1, (int) Math.round(options.events() * cumulative / total));
            to = Math.min(to, options.events() - (count - 1 - i));
            long gapMs = i == count - 1 ? 0 : Math.round(options.idleMs() * (1.5 + random.nextDouble()));
            bursts.add(new Burst(from, to - from, Duration.ofMillis(gapMs)));
            from = to;
        }
        return bursts;
    }

    /** A version 4 UUID from the seeded generator. */
    private static UUID uuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    Duration longestGap() {
        return bursts.stream().map(Burst::gapAfter).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The quiet time of the whole schedule: a lower bound on how long a run takes. */
    Duration quietTime() {
        return bursts.stream().map(Burst::gapAfter).reduce(Duration.ZERO, Duration::plus);
    }
}
