package dev.resilienthttp.core;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The incident's traffic: {@code users} concurrent users, each making {@code calls} calls with a think time
 * drawn uniformly from [0, maxThink] before each (seeded, so a run is repeatable). Think time is scheduled,
 * never slept; the run is bounded by a deadline.
 */
final class Workload {

    /** What a run produced: calls, successes, and failures by a label (a failure kind, or an exception class). */
    record Result(int calls, int succeeded, ConcurrentMap<String, AtomicInteger> failures) {
        int failed() {
            return calls - succeeded;
        }

        @Override
        public String toString() {
            return calls + " calls, " + succeeded + " succeeded, failures " + failures;
        }
    }

    private final int users;
    private final int calls;
    private final Duration maxThink;
    private final long seed;

    Workload(int users, int calls, Duration maxThink, long seed) {
        this.users = users;
        this.calls = calls;
        this.maxThink = maxThink;
        this.seed = seed;
    }

    /**
     * Runs the traffic. {@code call} makes call {@code i} of user {@code u} and completes with {@code null} on
     * success or a failure label; it must not block the scheduler thread for long (run blocking sends elsewhere).
     */
    Result run(BiFunction<Integer, Integer, CompletableFuture<String>> call, Duration bound)
            throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "workload-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch done = new CountDownLatch(users * calls);
        AtomicInteger succeeded = new AtomicInteger();
        ConcurrentMap<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        try {
            for (int user = 0; user < users; user++) {
                Random random = new Random(seed + user);
                next(scheduler, call, random, user, 0, done, succeeded, failures);
            }
            if (!done.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the workload did not finish within " + bound + "; "
                        + done.getCount() + " calls left");
            }
            return new Result(users * calls, succeeded.get(), failures);
        } finally {
            scheduler.shutdownNow();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void next(ScheduledExecutorService scheduler, BiFunction<Integer, Integer, CompletableFuture<String>> call,
                      Random random, int user, int index, CountDownLatch done, AtomicInteger succeeded,
                      ConcurrentMap<String, AtomicInteger> failures) {
        if (index == calls) {
            return;
        }
        long think = (long) (random.nextDouble() * maxThink.toMillis());
        scheduler.schedule(() -> call.apply(user, index).whenComplete((failure, error) -> {
            String label = error != null ? error.getClass().getName() : failure;
            if (label == null) {
                succeeded.incrementAndGet();
            } else {
                failures.computeIfAbsent(label, key -> new AtomicInteger()).incrementAndGet();
            }
            done.countDown();
            next(scheduler, call, random, user, index + 1, done, succeeded, failures);
        }), think, TimeUnit.MILLISECONDS);
    }
}
