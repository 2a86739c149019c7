package dev.resilienthttp.benchmarks;

import dev.resilienthttp.retry.IdempotencyKeys;

import java.util.Arrays;

/** What every call carries: about 1 KB each way, and the header names all clients send alike. */
final class Payload {
    /** Bytes of the request body, and of the response body. */
    static final int SIZE = 1024;
    static final String CONTENT_TYPE = "application/octet-stream";
    static final String IDEMPOTENCY_KEY = IdempotencyKeys.HEADER;
    static final String PATH = "/orders";

    private Payload() {
    }

    /** A fresh array of {@link #SIZE} printable bytes. */
    static byte[] bytes() {
        byte[] bytes = new byte[SIZE];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }
}
