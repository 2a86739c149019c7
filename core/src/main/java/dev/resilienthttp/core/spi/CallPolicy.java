package dev.resilienthttp.core.spi;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.FailureKind;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The SPI through which {@link ResilientHttpClient} hands a call to a policy: how responses are judged and
 * how many attempts are made, when. The retry module's {@code RetryPolicy} implements it; core needs nothing
 * from that module.
 *
 * <p>Without a configured policy the client judges every response a success and makes one attempt, plus one
 * immediate re-send on fresh connections after a {@link FailureKind#STALE_CONNECTION} when the request is
 * {@linkplain Call#safeToRepeat() safe to repeat}. A policy should keep that rule: a stale pooled connection
 * says nothing about the server.
 *
 * <p>Implementations are thread-safe: one policy serves every call of a client at once.
 */
public interface CallPolicy {

    /**
     * Judges a response by its status and headers: empty for a success, or the kind of failure it is. Called once
     * per response, when its headers arrive and before its body is read, on the JDK client's thread: it must be
     * quick and must not block. A failure's body is then not handed to the caller's body handler: the client keeps
     * at most its first 64 KiB as text ({@link AttemptResult#errorBodyPrefix()}) and closes the connection rather
     * than read a long error body whole before a retry.
     */
    Optional<FailureKind> classify(ResponseInfo response);

    /**
     * Runs a call on the calling thread: returns the successful attempt's response or throws
     * {@link Call#failure()}.
     *
     * @throws HttpFailureException when the call fails
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    <T> HttpResponse<T> execute(Call<T> call) throws IOException, InterruptedException;

    /**
     * Runs a call without blocking the calling thread or any other while it waits: completes with the
     * successful attempt's response or exceptionally with an {@link HttpFailureException}.
     */
    <T> CompletableFuture<HttpResponse<T>> executeAsync(Call<T> call);
}
