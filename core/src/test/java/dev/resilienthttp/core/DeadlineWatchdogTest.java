package dev.resilienthttp.core;

import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class DeadlineWatchdogTest {
    private final DeadlineWatchdog watchdog = DeadlineWatchdog.INSTANCE;
    private final List<String> expired = new CopyOnWriteArrayList<>();

    @Test
    void entriesExpireInTheOrderOfTheirDeadlinesWhateverTheOrderTheyCameIn() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        long now = System.nanoTime();
        // Half a second apart: the test's thread, held up on a loaded machine, still watches all three before the
        // first deadline.
        watchdog.watch(entry("late", three), now + TimeUnit.MILLISECONDS.toNanos(1500));
        watchdog.watch(entry("early", three), now + TimeUnit.MILLISECONDS.toNanos(500));
        watchdog.watch(entry("middle", three), now + TimeUnit.MILLISECONDS.toNanos(1000));

        assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(expired).containsExactly("early", "middle", "late");
        assertThat(System.nanoTime() - now).as("none expired before its deadline")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
    }

    @Test
    void anEntryNoLongerWatchedNeverExpires() throws Exception {
        CountDownLatch one = new CountDownLatch(1);
        DeadlineWatchdog.Entry ended = entry("ended", new CountDownLatch(1));
        long now = System.nanoTime();
        watchdog.watch(ended, now + TimeUnit.MILLISECONDS.toNanos(500));
        watchdog.watch(entry("watched", one), now + TimeUnit.MILLISECONDS.toNanos(700));
        watchdog.unwatch(ended);   // well before its deadline, even on a loaded machine

        assertThat(one.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(expired).containsExactly("watched");
        watchdog.unwatch(ended);   // twice is harmless
    }

    @Test
    void theThreadEndsByItselfOnceNothingIsWatched() throws Exception {
        CountDownLatch one = new CountDownLatch(1);
        watchdog.watch(entry("last", one), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(one.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(watchdog.watched()).isZero();

        Await.until("the idle watchdog's thread ended", Duration.ofSeconds(15),
                () -> !watchdogThreadAlive());
    }

    @Test
    void anEntryWhoseExpiryThrowsAnErrorDoesNotStopTheWatchOverTheOthers() throws Exception {
        CountDownLatch one = new CountDownLatch(1);
        long now = System.nanoTime();
        watchdog.watch(new DeadlineWatchdog.Entry() {
            @Override
            void expire() {
                throw new StackOverflowError("an entry's bug");
            }
        }, now + TimeUnit.MILLISECONDS.toNanos(50));
        watchdog.watch(entry("after the error", one), now + TimeUnit.MILLISECONDS.toNanos(150));

        assertThat(one.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(expired).containsExactly("after the error");
    }

    @Test
    void aKilledThreadIsReplacedAndWhatItWatchedStillExpires() throws Exception {
        CountDownLatch watched = new CountDownLatch(1);
        long now = System.nanoTime();
        watchdog.watch(entry("watched when the thread died", watched), now + TimeUnit.MILLISECONDS.toNanos(500));
        Thread killed = watchdog.threadForTests();
        watchdog.killThreadForTests();
        killed.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(killed.isAlive()).as("the test hook killed the thread").isFalse();

        assertThat(watched.await(10, TimeUnit.SECONDS)).as("a successor expired the entry").isTrue();
        CountDownLatch later = new CountDownLatch(1);
        watchdog.watch(entry("watched after", later), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(expired).containsExactly("watched when the thread died", "watched after");
    }

    @Test
    void whenNoThreadCanBeStartedTheWatchSaysSoAndTheNextWatchStartsOne() throws Exception {
        Await.until("no watchdog thread left from other tests", Duration.ofSeconds(15),
                () -> !watchdog.threadAlive());
        CountDownLatch both = new CountDownLatch(2);
        watchdog.refuseThreadsForTests(true);
        boolean watchedWhileRefused;
        try {
            watchedWhileRefused = watchdog.watch(entry("listed while refused", both),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        } finally {
            watchdog.refuseThreadsForTests(false);
        }
        assertThat(watchedWhileRefused).isFalse();

        assertThat(watchdog.watch(entry("next", both), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)))
                .isTrue();
        assertThat(both.await(10, TimeUnit.SECONDS)).as("the new thread expired both").isTrue();
    }

    private static boolean watchdogThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("resilient-http-deadlines") && thread.isAlive());
    }

    private DeadlineWatchdog.Entry entry(String name, CountDownLatch done) {
        return new DeadlineWatchdog.Entry() {
            @Override
            void expire() {
                expired.add(name);
                done.countDown();
            }
        };
    }
}
