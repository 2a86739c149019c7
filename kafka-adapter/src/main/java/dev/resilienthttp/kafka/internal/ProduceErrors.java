package dev.resilienthttp.kafka.internal;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Kafka errors that trying again cannot fix: the record is too large for the topic, this client may not write or
 * read it, the topic's name is invalid, the broker is too old, the topic lacks the partition a routed copy keeps
 * ({@link TargetPartitions}). The processor stops on them instead of spinning; any other error is tried again with
 * backoff (a leader election, a broker down, a metadata timeout).
 */
final class ProduceErrors {
    private ProduceErrors() {
    }

    static boolean cannotSucceed(Throwable error) {
        return error instanceof RecordTooLargeException
                || error instanceof RecordBatchTooLargeException
                || error instanceof AuthorizationException
                || error instanceof AuthenticationException
                || error instanceof InvalidTopicException
                || error instanceof SerializationException
                || error instanceof UnsupportedVersionException
                || error instanceof TopicChecks.MissingPartitionException;
    }
}
