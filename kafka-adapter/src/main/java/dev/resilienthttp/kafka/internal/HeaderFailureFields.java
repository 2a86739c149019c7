package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.FailureFields;
import dev.resilienthttp.kafka.FailureHeaders;
import org.apache.kafka.common.header.Headers;

/** {@code fail_count} and {@code fail_reason} as headers, for payloads the library cannot or should not change. */
public final class HeaderFailureFields<V> implements FailureFields<V> {
    @Override
    public int failCount(V value, Headers headers) {
        return failCount(headers);
    }

    /** The count in {@value FailureHeaders#FAIL_COUNT}; 0 when absent or not a number (the next write repairs it). */
    public static int failCount(Headers headers) {
        return HeaderValues.count(headers, FailureHeaders.FAIL_COUNT);
    }

    @Override
    public V write(V value, Headers headers, int failCount, String failReason) {
        writeTo(headers, failCount, failReason);
        return value;
    }

    /** Sets both headers, replacing any earlier ones. */
    public static void writeTo(Headers headers, int failCount, String failReason) {
        HeaderValues.putText(headers, FailureHeaders.FAIL_COUNT, Integer.toString(failCount));
        HeaderValues.putText(headers, FailureHeaders.FAIL_REASON, failReason);
    }
}
