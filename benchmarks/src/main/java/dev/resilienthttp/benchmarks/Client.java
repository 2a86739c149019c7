package dev.resilienthttp.benchmarks;

import dev.resilienthttp.retry.RetryPolicy;

import java.net.URI;
import java.util.Arrays;

/** The clients compared, each named as its benchmark method is. */
enum Client {
    /** Plain {@code java.net.http.HttpClient}, HTTP/1.1: the baseline. */
    RAW_JDK("rawJdk") {
        @Override
        Poster open(URI uri) {
            return new JdkPoster(uri);
        }
    },
    /** The JDK client with {@code .executor(Runnable::run)}: the ceiling for removing the hand-off (unsafe). */
    RAW_JDK_INLINE("rawJdkInline") {
        @Override
        Poster open(URI uri) {
            return JdkPoster.inline(uri);
        }
    },
    /** resilient-http with no retry policy (one attempt, one re-send after a stale connection if safe). */
    RESILIENT_NO_RETRY("resilientNoRetry") {
        @Override
        Poster open(URI uri) {
            return new ResilientPoster(uri, null);
        }
    },
    /** resilient-http with {@code RetryPolicy.standard()}. */
    RESILIENT_STANDARD("resilientStandard") {
        @Override
        Poster open(URI uri) {
            return new ResilientPoster(uri, RetryPolicy.standard());
        }
    },
    /** The JDK client with its defaults, each call {@code sendAsync(…).get()}. */
    RAW_JDK_ASYNC("rawJdkAsync") {
        @Override
        Poster open(URI uri) {
            return JdkPoster.async(uri);
        }
    },
    /** resilient-http with {@code RetryPolicy.standard()}, each call {@code sendAsync(…).get()}. */
    RESILIENT_STANDARD_ASYNC("resilientStandardAsync") {
        @Override
        Poster open(URI uri) {
            return ResilientPoster.async(uri, RetryPolicy.standard());
        }
    },
    /** OkHttp 5, defaults. */
    OKHTTP("okHttp") {
        @Override
        Poster open(URI uri) {
            return new OkHttpPoster(uri);
        }
    },
    /** Apache HttpClient 5, classic API. */
    APACHE_HC5("apacheHc5") {
        @Override
        Poster open(URI uri) {
            return new ApacheHcPoster(uri);
        }
    };

    private final String method;

    Client(String method) {
        this.method = method;
    }

    /** A new client of this kind, posting to {@code uri}. */
    abstract Poster open(URI uri);

    /** The name of this client's benchmark method, and its name in results. */
    String method() {
        return method;
    }

    /** The client whose benchmark method is {@code method}. */
    static Client named(String method) {
        return Arrays.stream(values()).filter(client -> client.method.equals(method)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no client for benchmark method " + method));
    }
}
