package dev.resilienthttp.benchmarks;

import java.io.IOException;

/**
 * One HTTP client, set up once and reused for every call, that POSTs {@link Payload#SIZE} bytes to one URI and
 * reads the whole response into memory. Every implementation sends the same request line, content type and body;
 * only what each client adds by itself (its {@code User-Agent}, for one) differs.
 */
interface Poster extends AutoCloseable {
    /**
     * Sends the POST and reads the whole response body.
     *
     * @param idempotencyKey sent as {@code Idempotency-Key} when not null (the fault run's keyed calls)
     * @return the response status
     * @throws IOException when the call fails in transport (or, for resilient-http, as its policy judges)
     */
    int post(byte[] body, String idempotencyKey) throws IOException, InterruptedException;

    /** Releases what the client holds, where the client has a way to. */
    @Override
    void close();
}
