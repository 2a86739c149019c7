package dev.resilienthttp.benchmarks;

import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * A {@link Poster} on the JDK client, which can also show the whole response: a benchmark's setup and the tests
 * check with it that a call came back in the HTTP version its {@link Transport} promises (the JDK falls back to
 * HTTP/1.1 without a word when ALPN does not choose h2).
 */
interface VersionedPoster extends Poster {
    /** Sends the same POST as {@link #post} with no key, and returns the response, its body read. */
    HttpResponse<byte[]> exchange(byte[] body) throws IOException, InterruptedException;
}
