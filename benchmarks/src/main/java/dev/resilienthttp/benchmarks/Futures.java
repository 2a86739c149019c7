package dev.resilienthttp.benchmarks;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waits for an asynchronous call as a blocking one would end: its result, or its {@link IOException}. */
final class Futures {
    private Futures() {
    }

    /** {@code future}'s result; an {@code IOException} it failed with is thrown as it is. */
    static <T> T await(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException("the call failed: " + cause, cause);
        } catch (CancellationException e) {
            throw new IOException("the call was cancelled", e);
        }
    }
}
