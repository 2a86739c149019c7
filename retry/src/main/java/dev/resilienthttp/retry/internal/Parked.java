package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.internal.Redaction;
import dev.resilienthttp.core.spi.Call;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code send}'s pacing: the caller's thread parks through every wait and blocks in every attempt, so the run's
 * loop goes round on it from the first admission to the end; the client's close wakes a wait. Stateless: one serves
 * every call.
 */
public final class Parked<T> implements CallRun.Pacing<T> {
    private static final Parked<?> INSTANCE = new Parked<>();

    private Parked() {
    }

    /** The pacing for a blocking call. */
    @SuppressWarnings("unchecked")
    public static <T> Parked<T> pacing() {
        return (Parked<T>) INSTANCE;
    }

    @Override
    public boolean pause(Call<T> call, Duration delay, CallRun<T> run) throws InterruptedException {
        CountDownLatch closing = new CountDownLatch(1);
        Runnable forget = call.whenStopped(closing::countDown);
        try {
            if (closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                throw call.stopped();
            }
        } catch (InterruptedException e) {
            String path = Redaction.uri(run.request().uri()).replaceFirst("^[a-z]+://[^/]*", "");
            InterruptedException named = new InterruptedException("interrupted while waiting to retry "
                    + run.request().method() + " " + path);
            named.addSuppressed(e);
            throw named;
        } finally {
            forget.run();
        }
        return true;
    }

    @Override
    public boolean attempt(Call<T> call, Duration waited, Duration timeout, CallRun<T> run)
            throws InterruptedException {
        run.arrived(call.attempt(waited, timeout));
        return true;
    }

    @Override
    public void ended(CallRun<T> run) {
        // the caller reads the end when proceed() returns
    }
}
