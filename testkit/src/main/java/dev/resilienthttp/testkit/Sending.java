package dev.resilienthttp.testkit;

import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two ways to make a call, so that a scenario runs through both: the same assertions hold for {@code send}
 * and {@code sendAsync}.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(Sending.class)
 * void recoversFromAReset(Sending sending) throws Exception {
 *     HttpResponse<String> response = sending.call(client, request, BodyHandlers.ofString());
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #SEND_ASYNC} waits at most {@link #ASYNC_BOUND} for the future, then fails rather than hang the test;
 * a call that may take longer belongs in a test that waits on the future itself.
 */
public enum Sending {
    /** {@link ResilientHttpClient#send}, on the test's thread. */
    SEND {
        @Override
        public <T> HttpResponse<T> call(ResilientHttpClient client, HttpRequest request, BodyHandler<T> handler)
                throws Exception {
            return client.send(request, handler);
        }
    },
    /** {@link ResilientHttpClient#sendAsync}, its future waited on; what it failed with is thrown unwrapped. */
    SEND_ASYNC {
        @Override
        public <T> HttpResponse<T> call(ResilientHttpClient client, HttpRequest request, BodyHandler<T> handler)
                throws Exception {
            CompletableFuture<HttpResponse<T>> future = client.sendAsync(request, handler);
            try {
                return future.get(ASYNC_BOUND.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            } catch (TimeoutException e) {
                future.cancel(true);   // the call must not run on into the next test
                throw new AssertionError("sendAsync's future did not complete within " + ASYNC_BOUND, e);
            } catch (InterruptedException e) {
                future.cancel(true);
                throw e;
            }
        }
    };

    /** How long {@link #SEND_ASYNC} waits for the future: far beyond any call of a loopback test. */
    public static final Duration ASYNC_BOUND = Duration.ofSeconds(60);

    /**
     * Makes the call and returns its response, or throws what the call failed with ({@link HttpFailureException}
     * when the policy says it failed).
     */
    public abstract <T> HttpResponse<T> call(ResilientHttpClient client, HttpRequest request, BodyHandler<T> handler)
            throws Exception;

    /**
     * Makes a call that must fail with an {@link HttpFailureException}, and returns it for assertions on its
     * {@linkplain HttpFailureException#report() report}.
     *
     * @throws AssertionError if the call succeeded or failed otherwise
     */
    public <T> HttpFailureException failure(ResilientHttpClient client, HttpRequest request, BodyHandler<T> handler) {
        try {
            call(client, request, handler);
        } catch (HttpFailureException expected) {
            return expected;
        } catch (Exception other) {
            throw new AssertionError(this + " failed with " + other + ", not an HttpFailureException", other);
        }
        throw new AssertionError(this + " succeeded, but the call was to fail");
    }
}
