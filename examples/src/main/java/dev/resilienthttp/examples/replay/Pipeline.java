package dev.resilienthttp.examples.replay;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** One of the two services under test: it consumes a run's source and error topics and calls the API. */
interface Pipeline extends AutoCloseable {
    /** Starts its consumers. */
    void start() throws Exception;

    /** Waits until its consumer groups hold every partition, so that events flow without a rebalance. */
    void awaitReady(InProcessBroker broker, Duration timeout) throws Exception;

    /** Source-topic records it has finished a first pass of (handled, or routed), for pacing the bursts. */
    int sourceRecordsDone();

    /** HTTP attempts that failed so far, by kind: for the report, not for the accounting. */
    Map<String, Integer> failedAttempts();

    /** The error that stopped one of its consumers, if one did: its events then stay unaccounted for. */
    Optional<Throwable> failure();

    /** A short description for the output: the client and its settings. */
    String description();

    /** Stops consuming and closes every client, thread and socket it opened. */
    @Override
    void close();
}
