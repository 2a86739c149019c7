package dev.resilienthttp.kafka;

/**
 * The headers a routed record carries. Routing a record again replaces every header named here instead of adding
 * another copy, so a record's headers stay the same size however many passes it makes.
 *
 * <p>The {@code kafka_dlt-} headers are Spring Kafka's ({@code KafkaHeaders.DLT_*}), in Spring's encoding, so that
 * tools written for Spring's dead-letter records read ours: text in UTF-8, the partition as a 4-byte big-endian int,
 * offset and timestamp as 8-byte big-endian longs. Unlike Spring, the {@code original} headers name where the event
 * entered the pipeline, not the last hop: a record routed from the error topic keeps its first origin, which is
 * where a redrive sends it back to.
 *
 * <p>The {@code rh-} headers are ours, all UTF-8 text, instants in ISO-8601 ({@code 2026-11-21T12:00:00Z}).
 */
public final class FailureHeaders {
    /** Spring's: the topic the event was first consumed from. */
    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    /** Spring's: its partition, a 4-byte big-endian int. */
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    /** Spring's: its offset, an 8-byte big-endian long. */
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    /** Spring's: its timestamp in epoch milliseconds, an 8-byte big-endian long. */
    public static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    /** Spring's: the class of the exception that failed the last pass. */
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    /** Spring's: its message; for an HTTP failure, core's bounded and redacted {@code failReason()}. */
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

    /**
     * The kind that failed the last pass: a {@code dev.resilienthttp.core.FailureKind} name, or one of
     * {@link #KIND_HANDLER_ERROR}, {@link #KIND_UNDESERIALIZABLE}, {@link #KIND_INVALID_EVENT}.
     */
    public static final String KIND = "rh-fail-kind";
    /** Whether the remote side may have acted on the last pass: a {@code dev.resilienthttp.core.Outcome} name. */
    public static final String OUTCOME = "rh-fail-outcome";
    /** The HTTP attempts of the last pass (core's 1-based count; 0 when no request was sent). */
    public static final String ATTEMPTS = "rh-http-attempts";
    /** When the event failed for the first time; kept across passes. */
    public static final String FIRST_FAILURE_AT = "rh-first-failure-at";
    /**
     * Failed passes of any kind (decimal): unlike {@code fail_count} it counts the passes a local protection refused
     * ({@code CIRCUIT_OPEN}, ...), so that the error-topic delay grows while an upstream stays down.
     */
    public static final String PASSES = "rh-passes";
    /** The earliest time the error-topic record may be processed again. */
    public static final String NOT_BEFORE = "rh-not-before";
    /** The event's {@code fail_count} when the failure fields are written as headers (decimal). */
    public static final String FAIL_COUNT = "rh-fail-count";
    /** The event's {@code fail_reason} when the failure fields are written as headers. */
    public static final String FAIL_REASON = "rh-fail-reason";

    /** {@link #KIND} of a pass whose handler threw an exception other than an {@code HttpFailureException}. */
    public static final String KIND_HANDLER_ERROR = "HANDLER_ERROR";
    /** {@link #KIND} of a record whose key or value could not be deserialized. */
    public static final String KIND_UNDESERIALIZABLE = "UNDESERIALIZABLE";
    /** {@link #KIND} of a value that cannot carry the failure fields (an Avro event without its {@code event}). */
    public static final String KIND_INVALID_EVENT = "INVALID_EVENT";

    /** The prefixes of every header that routing replaces. */
    static final String SPRING_PREFIX = "kafka_dlt-";
    static final String OUR_PREFIX = "rh-";

    private FailureHeaders() {
    }

    /** Whether routing replaces the header {@code key} (one of Spring's dead-letter headers, or ours). */
    public static boolean isFailureHeader(String key) {
        return key.startsWith(SPRING_PREFIX) || key.startsWith(OUR_PREFIX);
    }
}
