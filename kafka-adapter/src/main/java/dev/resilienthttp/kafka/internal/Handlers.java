package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.AsyncEventHandler;
import dev.resilienthttp.kafka.EventHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Where the user's handler runs: a blocking {@link EventHandler} on a pool of at most {@code maxInFlight} threads
 * (platform threads, or virtual threads on Java 21+), an {@link AsyncEventHandler} on the processor's thread, its
 * stage completing wherever it completes. Either way the processor's thread never waits for a handler, so it keeps
 * polling, and no call's length can make the group think the consumer is gone.
 */
public abstract class Handlers implements AutoCloseable {
    /**
     * Starts the handler on {@code record}; {@code ended} gets {@code null} or what failed it, once, on any thread.
     *
     * @return what cancels the run (interrupts a blocking handler, cancels an asynchronous one's stage)
     */
    abstract Runnable start(ConsumerRecord<?, ?> record, BiConsumer<Void, Throwable> ended);

    /** Interrupts the handlers still running and lets their threads end. */
    @Override
    public abstract void close();

    /** A blocking handler on a pool of at most {@code threads} threads named after {@code name}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Handlers blocking(EventHandler<?, ?> handler, int threads, boolean virtual, String name) {
        ExecutorService pool = virtual ? virtualThreads() : platformThreads(threads, name);
        EventHandler raw = handler;
        return new Handlers() {
            @Override
            Runnable start(ConsumerRecord<?, ?> record, BiConsumer<Void, Throwable> ended) {
                // A run cancelled while it waits for a thread never starts: then the cancel reports its end. Whichever
                // claims the run first reports, once.
                AtomicBoolean claimed = new AtomicBoolean();
                Future<?> run = pool.submit(() -> {
                    if (!claimed.compareAndSet(false, true)) {
                        return;
                    }
                    Throwable failure = null;
                    try {
                        raw.handle(record);
                    } catch (Throwable e) {
                        failure = e;
                    }
                    ended.accept(null, failure);
                });
                return () -> {
                    run.cancel(true);
                    if (claimed.compareAndSet(false, true)) {
                        ended.accept(null, new CancellationException("cancelled before it started"));
                    }
                };
            }

            @Override
            public void close() {
                pool.shutdownNow();
            }
        };
    }

    /** An asynchronous handler, started on the caller's thread. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Handlers async(AsyncEventHandler<?, ?> handler) {
        AsyncEventHandler raw = handler;
        return new Handlers() {
            @Override
            Runnable start(ConsumerRecord<?, ?> record, BiConsumer<Void, Throwable> ended) {
                CompletionStage<?> stage;
                try {
                    stage = raw.handle(record);
                } catch (Throwable e) {
                    ended.accept(null, e);
                    return () -> { };
                }
                if (stage == null) {
                    ended.accept(null, new NullPointerException("the AsyncEventHandler returned no stage"));
                    return () -> { };
                }
                stage.whenComplete((result, error) -> ended.accept(null, error));
                return () -> {
                    try {
                        stage.toCompletableFuture().cancel(true);
                    } catch (UnsupportedOperationException e) {
                        // A stage that cannot be cancelled ends on its own; its record is not committed meanwhile.
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }

    /** Whether this JDK has virtual threads (21+). */
    public static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21;
    }

    private static ExecutorService platformThreads(int threads, String name) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE.toMillis(),
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A handler thread idle this long ends: a processor with little traffic holds few threads. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, called by reflection: the library is built for Java 17. */
    private static ExecutorService virtualThreads() {
        if (!virtualThreadsAvailable()) {
            throw new IllegalStateException("virtual threads need Java 21 or later; this is Java "
                    + Runtime.version().feature());
        }
        try {
            return (ExecutorService) java.util.concurrent.Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot create virtual threads on Java " + Runtime.version(), e);
        }
    }

    /** The cause a stage or a future wrapped, as the handler threw it. */
    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
