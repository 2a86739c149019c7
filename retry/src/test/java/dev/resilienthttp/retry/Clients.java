package dev.resilienthttp.retry;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.ResilientHttpClientBuilder;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Random;

/** The two clients every comparison runs: resilient-http under a retry policy, and the raw JDK client. */
final class Clients {
    static final String USER_AGENT = "retry-tests/1.0 (ops@example.org)";

    /**
     * Short waits for the fault tests that make hundreds of calls: the decision is the same as the standard
     * policy's, only the backoff steps are 5 ms doubling to 50 ms instead of 250 ms doubling to 30 s, so that a
     * run takes seconds, not minutes. The jitter is seeded, so a run's waits repeat.
     */
    static RetryPolicy shortBackoff() {
        return RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .random(new Random(42)).build();
    }

    private Clients() {
    }

    /** resilient-http over HTTP/1.1 under {@code policy}; the caller builds it and closes it. */
    static ResilientHttpClientBuilder resilient(RetryPolicy policy) {
        return ResilientHttpClient.builder().userAgent(USER_AGENT).preferHttp1().retry(policy);
    }

    /** The JDK client as most code uses it: one attempt, no policy. Close it with {@link #close(HttpClient)}. */
    static HttpClient rawJdk() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Closes the JDK client on JDK 21+, where it is {@code AutoCloseable}; JDK 17 frees it once unreachable. */
    static void close(HttpClient raw) throws Exception {
        if (raw instanceof AutoCloseable) {
            ((AutoCloseable) raw).close();
        }
    }
}
