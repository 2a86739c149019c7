package dev.resilienthttp.core.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class CloseWakesTest {
    private final CloseWakes wakes = new CloseWakes();

    @Test
    void closingRunsEveryWakeStillRegisteredOnceAndKeepsNone() {
        AtomicInteger woken = new AtomicInteger();
        wakes.register(woken::incrementAndGet);
        wakes.register(woken::incrementAndGet);

        wakes.close();
        wakes.close();

        assertThat(woken).hasValue(2);
        assertThat(wakes.waiting()).isZero();
    }

    @Test
    void aWakeForgottenWhenItsWaitEndedIsNotRunAndNotKept() {
        AtomicInteger woken = new AtomicInteger();
        Runnable forget = wakes.register(woken::incrementAndGet);

        forget.run();
        wakes.close();

        assertThat(woken).hasValue(0);
        assertThat(wakes.waiting()).isZero();
    }

    @Test
    void aWakeRegisteredAfterTheCloseRunsAtOnceOnTheRegisteringThread() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        wakes.close();

        Runnable forget = wakes.register(() -> ranOn.set(Thread.currentThread()));
        forget.run();

        assertThat(ranOn).hasValue(Thread.currentThread());
        assertThat(wakes.waiting()).isZero();
    }

    @Test
    void aWakeThatThrowsDoesNotKeepTheOthersWaiting() {
        AtomicInteger woken = new AtomicInteger();
        wakes.register(() -> {
            throw new IllegalStateException("broken wake");
        });
        wakes.register(woken::incrementAndGet);

        wakes.close();

        assertThat(woken).hasValue(1);
    }

    @Test
    void theSameWakeRegisteredTwiceIsTwoWaits() {
        AtomicInteger woken = new AtomicInteger();
        Runnable wake = woken::incrementAndGet;
        Runnable first = wakes.register(wake);
        wakes.register(wake);

        first.run();
        wakes.close();

        assertThat(woken).hasValue(1);
    }
}
