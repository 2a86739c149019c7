package dev.resilienthttp.kafka.internal;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

/** Reads and writes header values in the encodings of {@code FailureHeaders}: UTF-8 text, Spring's binary numbers. */
public final class HeaderValues {
    private HeaderValues() {
    }

    /** The last value of {@code key} as UTF-8 text, or {@code null}. */
    public static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The last value of {@code key} as a non-negative decimal count; 0 when absent or not a number. */
    public static int count(Headers headers, String key) {
        String text = text(headers, key);
        if (text == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The last value of {@code key} as an ISO-8601 instant, or {@code null} when absent or unreadable. */
    public static Instant instant(Headers headers, String key) {
        String text = text(headers, key);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The last value of {@code key} as Spring's 4-byte int, or {@code null}. */
    public static Integer int32(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null || header.value().length != Integer.BYTES
                ? null : ByteBuffer.wrap(header.value()).getInt();
    }

    /** The last value of {@code key} as Spring's 8-byte long, or {@code null}. */
    public static Long int64(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null || header.value().length != Long.BYTES
                ? null : ByteBuffer.wrap(header.value()).getLong();
    }

    /** Sets {@code key} to {@code value} as UTF-8, replacing every earlier value. */
    public static void putText(Headers headers, String key, String value) {
        put(headers, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets {@code key} to a 4-byte big-endian int, as Spring writes partitions. */
    public static void putInt32(Headers headers, String key, int value) {
        put(headers, key, ByteBuffer.allocate(Integer.BYTES).putInt(value).array());
    }

    /** Sets {@code key} to an 8-byte big-endian long, as Spring writes offsets and timestamps. */
    public static void putInt64(Headers headers, String key, long value) {
        put(headers, key, ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }

    private static void put(Headers headers, String key, byte[] value) {
        headers.remove(key);
        headers.add(key, value);
    }
}
