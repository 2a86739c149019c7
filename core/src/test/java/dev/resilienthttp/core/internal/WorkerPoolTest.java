package dev.resilienthttp.core.internal;

import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker threads: as many as the tasks need up to the bound, every task run, none left after shutdown. */
class WorkerPoolTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private final WorkerPool pool = new WorkerPool("test-worker", 8, 0, TimeUnit.SECONDS.toNanos(30));

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdown();
        Await.until("the pool's threads to end", BOUND, () -> pool.threads() == 0);
    }

    @Test
    void tasksThatBlockGrowThePoolToItsBoundAndTheRestWaitTheirTurnUnlost() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(100);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            pool.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                ran.countDown();
            });
        }
        Await.until("8 tasks to block at once", BOUND, () -> running.get() == 8);

        assertThat(pool.threads()).isEqualTo(8);
        release.countDown();
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("every task ran").isTrue();
        assertThat(mostAtOnce.get()).isEqualTo(8);
    }

    @Test
    void aTrickleOfTasksKeepsOneThreadNotTheBound() throws InterruptedException {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 50; i++) {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(() -> {
                threads.add(Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            Await.until("the thread to wait for the next task", BOUND, () -> pool.idleThreads() == 1);
        }

        assertThat(threads).hasSize(1);
        assertThat(pool.threads()).isEqualTo(1);
    }

    @Test
    void tasksGivenFromManyThreadsAtOnceAllRun() throws InterruptedException {
        int producers = 4;
        int each = 2_000;
        CountDownLatch ran = new CountDownLatch(producers * each);
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            threads[p] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    pool.execute(ran::countDown);
                }
            });
            threads[p].start();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }

        assertThat(ran.await(10, TimeUnit.SECONDS)).as("no task lost").isTrue();
        assertThat(pool.threads()).isLessThanOrEqualTo(8);
    }

    @Test
    void idleThreadsEndAfterTheirKeepAlive() throws InterruptedException {
        WorkerPool brief = new WorkerPool("brief-worker", 4, 0, TimeUnit.MILLISECONDS.toNanos(50));
        CountDownLatch ran = new CountDownLatch(1);
        brief.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        Await.until("the idle thread to end", BOUND, () -> brief.threads() == 0);
        CountDownLatch again = new CountDownLatch(1);
        brief.execute(again::countDown);
        assertThat(again.await(10, TimeUnit.SECONDS)).as("a new thread takes the next task").isTrue();
        brief.shutdown();
        Await.until("the brief pool's thread to end", BOUND, () -> brief.threads() == 0);
    }

    @Test
    void afterShutdownATaskStillRunsOnAPoolThreadWhichThenEnds() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            pool.execute(ran::countDown);
        }
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        pool.shutdown();
        Await.until("the threads to end", BOUND, () -> pool.threads() == 0);
        String[] ranOn = new String[1];
        CountDownLatch late = new CountDownLatch(1);
        pool.execute(() -> {
            ranOn[0] = Thread.currentThread().getName();
            late.countDown();
        });
        assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn[0]).as("never the thread that gives it: that may be the JDK's selector thread")
                .startsWith("test-worker-");
        Await.until("the late task's thread to end", BOUND, () -> pool.threads() == 0);
    }

    @Test
    void aBurstThatFindsOneIdleThreadStartsAnotherSoThatNoTaskWaitsBehindABlockedOne() throws InterruptedException {
        CountDownLatch warm = new CountDownLatch(1);
        pool.execute(warm::countDown);
        assertThat(warm.await(10, TimeUnit.SECONDS)).isTrue();
        Await.until("the one thread to wait for a task", BOUND, () -> pool.idleThreads() == 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);

        pool.execute(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        pool.execute(second::countDown);

        try {
            assertThat(second.await(5, TimeUnit.SECONDS)).as("the second task ran while the first blocked").isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void tasksBlockedOnATaskQueuedBehindThemGetASpareThreadThatRunsIt() throws InterruptedException {
        WorkerPool spared = new WorkerPool("spared-worker", 8, 4, TimeUnit.SECONDS.toNanos(30));
        try {
            CountDownLatch unblock = new CountDownLatch(1);
            CountDownLatch ran = new CountDownLatch(9);
            for (int i = 0; i < 8; i++) {
                spared.execute(() -> {
                    try {
                        unblock.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ran.countDown();
                });
            }
            spared.execute(() -> {
                unblock.countDown();
                ran.countDown();
            });

            assertThat(unblock.await(5, TimeUnit.SECONDS)).as("the queued task ran while all 8 threads waited for it")
                    .isTrue();
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("every task ran").isTrue();
            assertThat(spared.threads()).as("one spare was enough").isEqualTo(9);
        } finally {
            spared.shutdown();
            Await.until("the spared pool's threads to end", BOUND, () -> spared.threads() == 0);
        }
    }

    @Test
    void aPoolWhoseThreadsAllStayBlockedAddsNoMoreThanItsSpares() throws InterruptedException {
        WorkerPool spared = new WorkerPool("capped-worker", 2, 2, TimeUnit.SECONDS.toNanos(30));
        CountDownLatch release = new CountDownLatch(1);
        try {
            CountDownLatch ran = new CountDownLatch(10);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                spared.execute(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    ran.countDown();
                });
            }
            Await.until("both spares to block too", BOUND, () -> running.get() == 4);
            int looked = spared.looks();
            Await.until("three more looks at the stuck queue", BOUND, () -> spared.looks() >= looked + 3);

            assertThat(spared.threads()).isEqualTo(4);
            release.countDown();
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("every task ran").isTrue();
            assertThat(mostAtOnce.get()).isEqualTo(4);
        } finally {
            release.countDown();
            spared.shutdown();
            Await.until("the capped pool's threads to end", BOUND, () -> spared.threads() == 0);
        }
    }
}
