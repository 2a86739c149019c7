package dev.resilienthttp.examples.replay;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run did to the events, as the {@link Ledger} read it from Kafka, and what the API and the client saw.
 *
 * @param client            {@code jdk-httpclient} or {@code resilient-http}
 * @param description       the client and its settings, one line
 * @param counts            where the events ended
 * @param deadLetterKinds   dead-lettered events by kind
 * @param errorTopicCopies  copies routed to the error topic during the run (failed passes)
 * @param failedAttempts    HTTP attempts that failed, by kind (retried or not)
 * @param duplicates        requests the API acted on beyond the first for the same event
 * @param originRequests    requests that reached the API, 429s included
 * @param outOfOrder        updates the API enriched after a higher version of the same article (this run's alone)
 * @param throughput        how fast the pipeline made its first pass of the source events
 * @param elapsed           from the first burst until every event was accounted for (or the bound)
 * @param settled           whether every event succeeded or was dead-lettered within the bound
 * @param missing           article ids of some events found in no topic (empty when none)
 * @param failure           the error that stopped a consumer of the pipeline, or null
 */
record RunResult(String client, String description, Ledger.Counts counts, Map<String, Integer> deadLetterKinds,
                 int errorTopicCopies, Map<String, Integer> failedAttempts, int duplicates, int originRequests,
                 int outOfOrder, Throughput throughput, Duration elapsed, boolean settled, List<String> missing,
                 Map<String, Ledger.FailedCopy> deadLetterSamples, Map<String, Ledger.FailedCopy> errorSamples,
                 String failure) {
    RunResult {
        deadLetterKinds = Map.copyOf(deadLetterKinds);
        failedAttempts = Map.copyOf(failedAttempts);
        missing = List.copyOf(missing);
        deadLetterSamples = Map.copyOf(deadLetterSamples);
        errorSamples = Map.copyOf(errorSamples);
    }

    /** Every event succeeded or is in the error or dead-letter topic, and nothing stopped the pipeline. */
    boolean complete() {
        return counts.lost() == 0 && failure == null;
    }
}
