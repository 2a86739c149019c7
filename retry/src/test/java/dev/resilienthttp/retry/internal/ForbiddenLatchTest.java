package dev.resilienthttp.retry.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The latch with literal times, in seconds as nanoseconds. */
class ForbiddenLatchTest {
    private static final String HOST = "api.example.org:443";

    private static long s(double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }

    private final ForbiddenLatch latch = new ForbiddenLatch(20, 0.9, 50, 0, 10_000);

    @Test
    void twentyConsecutive403sLatchTheHostAndTheNineteenthDoesNot() {
        for (int i = 0; i < 19; i++) {
            assertThat(latch.record(HOST, true, ForbiddenLatch.Pass.GO, s(i))).isNull();
        }
        assertThat(latch.check(HOST, s(19)).verdict()).isEqualTo(ForbiddenLatch.Verdict.GO);
        ForbiddenLatch.Change latched = latch.record(HOST, true, ForbiddenLatch.Pass.GO, s(19));
        assertThat(latched).isNotNull();
        assertThat(latched.reason()).isEqualTo("20 consecutive 403s");
        assertThat(latch.check(HOST, s(20)).verdict()).isEqualTo(ForbiddenLatch.Verdict.REFUSE);
        assertThat(latch.blockedHosts()).containsExactly(HOST);
    }

    @Test
    void aFewSuccessesAmongNinetyPercent403sStillLatchOnceTheWindowIsFull() {
        ForbiddenLatch.Change latched = null;
        for (int i = 0; i < 50 && latched == null; i++) {
            latched = latch.record(HOST, i % 10 != 0, ForbiddenLatch.Pass.GO, s(i));
        }
        assertThat(latched).isNotNull();
        assertThat(latched.reason()).isEqualTo("45 of the last 50 responses were 403");
    }

    @Test
    void forbiddenAnswersThatSlideOutOfTheWindowNoLongerCount() {
        ForbiddenLatch small = new ForbiddenLatch(100, 0.75, 4, 0, 10_000);
        boolean[] answers = {true, true, false, false, true, false, true};   // never 3 of the last 4
        for (int i = 0; i < answers.length; i++) {
            assertThat(small.record(HOST, answers[i], ForbiddenLatch.Pass.GO, s(i))).as("answer %d", i).isNull();
        }

        ForbiddenLatch.Change latched = small.record(HOST, true, ForbiddenLatch.Pass.GO, s(answers.length));

        assertThat(latched).isNotNull();
        assertThat(latched.reason()).isEqualTo("3 of the last 4 responses were 403");
    }

    @Test
    void aLongRunOfSuccessesThenForbiddenAnswersLatchOnTheLastWindowAlone() {
        ForbiddenLatch small = new ForbiddenLatch(100, 0.5, 4, 0, 10_000);
        for (int i = 0; i < 1_000; i++) {
            assertThat(small.record(HOST, false, ForbiddenLatch.Pass.GO, s(i))).isNull();
        }

        assertThat(small.record(HOST, true, ForbiddenLatch.Pass.GO, s(1_000))).isNull();
        ForbiddenLatch.Change latched = small.record(HOST, true, ForbiddenLatch.Pass.GO, s(1_001));

        assertThat(latched).isNotNull();
        assertThat(latched.reason()).isEqualTo("2 of the last 4 responses were 403");
    }

    @Test
    void scattered403sOfDeletedResourcesNeverLatch() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(latch.record(HOST, i % 3 == 0, ForbiddenLatch.Pass.GO, s(i))).isNull();
        }
        assertThat(latch.blockedHosts()).isEmpty();
    }

    @Test
    void aBlockedHostStaysBlockedWithoutAProbeUntilSomeoneUnblocksIt() {
        for (int i = 0; i < 20; i++) {
            latch.record(HOST, true, ForbiddenLatch.Pass.GO, s(i));
        }
        assertThat(latch.check(HOST, s(1_000_000)).verdict()).isEqualTo(ForbiddenLatch.Verdict.REFUSE);
        assertThat(latch.unblock(HOST)).as("the closing it lifted").isEqualTo(1);
        assertThat(latch.check(HOST, s(1_000_001)).verdict()).isEqualTo(ForbiddenLatch.Verdict.GO);
        assertThat(latch.unblock(HOST)).as("none").isZero();
        assertThat(latch.record(HOST, true, ForbiddenLatch.Pass.GO, s(1_000_002))).as("history was forgotten").isNull();
    }

    @Test
    void withAProbeIntervalOneCallGoesThroughAndItsAnswerDecides() {
        ForbiddenLatch probing = new ForbiddenLatch(2, 0.9, 50, s(60), 10_000);
        probing.record(HOST, true, ForbiddenLatch.Pass.GO, s(0));
        probing.record(HOST, true, ForbiddenLatch.Pass.GO, s(1));
        assertThat(probing.check(HOST, s(30)).verdict()).isEqualTo(ForbiddenLatch.Verdict.REFUSE);

        ForbiddenLatch.Pass probe = probing.check(HOST, s(61));
        assertThat(probe.verdict()).as("the probe").isEqualTo(ForbiddenLatch.Verdict.PROBE);
        assertThat(probing.check(HOST, s(61)).verdict()).as("others while it runs")
                .isEqualTo(ForbiddenLatch.Verdict.REFUSE);
        assertThat(probing.record(HOST, true, probe, s(62))).isNull();
        assertThat(probing.check(HOST, s(100)).verdict()).as("403 again: latched anew")
                .isEqualTo(ForbiddenLatch.Verdict.REFUSE);

        ForbiddenLatch.Pass next = probing.check(HOST, s(122));
        assertThat(next.verdict()).as("the next probe").isEqualTo(ForbiddenLatch.Verdict.PROBE);
        ForbiddenLatch.Change lifted = probing.record(HOST, false, next, s(123));
        assertThat(lifted).isNotNull();
        assertThat(lifted.blocked()).isFalse();
        assertThat(probing.check(HOST, s(123)).verdict()).isEqualTo(ForbiddenLatch.Verdict.GO);
        assertThat(probing.blockedHosts()).isEmpty();
    }

    @Test
    void aSuccessAdmittedBeforeTheHostLatchedDoesNotLiftIt() {
        for (int i = 0; i < 20; i++) {
            latch.record(HOST, true, ForbiddenLatch.Pass.GO, s(i));
        }

        assertThat(latch.record(HOST, false, ForbiddenLatch.Pass.GO, s(21))).as("a slow 200 that was in flight")
                .isNull();

        assertThat(latch.check(HOST, s(22)).verdict()).isEqualTo(ForbiddenLatch.Verdict.REFUSE);
        assertThat(latch.blockedHosts()).containsExactly(HOST);
    }

    @Test
    void aProbeThatEndsWithoutAnAnswerFreesTheSlotForTheNextProbe() {
        ForbiddenLatch probing = new ForbiddenLatch(2, 0.9, 50, s(60), 10_000);
        probing.record(HOST, true, ForbiddenLatch.Pass.GO, s(0));
        probing.record(HOST, true, ForbiddenLatch.Pass.GO, s(1));
        ForbiddenLatch.Pass probe = probing.check(HOST, s(61));
        assertThat(probe.verdict()).isEqualTo(ForbiddenLatch.Verdict.PROBE);
        assertThat(probing.check(HOST, s(62)).verdict()).isEqualTo(ForbiddenLatch.Verdict.REFUSE);

        probing.probeEnded(HOST, probe);

        assertThat(probing.check(HOST, s(63)).verdict()).as("the next probe").isEqualTo(ForbiddenLatch.Verdict.PROBE);
        assertThat(probing.blockedHosts()).containsExactly(HOST);
    }

    @Test
    void theAnswerToAProbeOfALatchSinceLiftedNeitherLiftsTheNewLatchNorFreesItsProbe() {
        ForbiddenLatch probing = new ForbiddenLatch(2, 0.9, 50, s(60), 10_000);
        probing.record(HOST, true, ForbiddenLatch.Pass.GO, s(0));
        probing.record(HOST, true, ForbiddenLatch.Pass.GO, s(1));
        ForbiddenLatch.Pass old = probing.check(HOST, s(61));
        assertThat(old.verdict()).isEqualTo(ForbiddenLatch.Verdict.PROBE);
        assertThat(probing.unblock(HOST)).as("a person lifted it while the probe was out").isPositive();
        probing.record(HOST, true, ForbiddenLatch.Pass.GO, s(70));
        probing.record(HOST, true, ForbiddenLatch.Pass.GO, s(71));
        ForbiddenLatch.Pass current = probing.check(HOST, s(131));
        assertThat(current.verdict()).as("the new latch's probe").isEqualTo(ForbiddenLatch.Verdict.PROBE);

        assertThat(probing.record(HOST, false, old, s(132))).as("the old probe's 200").isNull();
        assertThat(probing.blockedHosts()).containsExactly(HOST);
        probing.probeEnded(HOST, old);
        assertThat(probing.check(HOST, s(133)).verdict()).as("the new probe still out")
                .isEqualTo(ForbiddenLatch.Verdict.REFUSE);

        ForbiddenLatch.Change lifted = probing.record(HOST, false, current, s(134));
        assertThat(lifted).isNotNull();
        assertThat(lifted.blocked()).isFalse();
    }

    @Test
    void hostsAreLatchedApart() {
        for (int i = 0; i < 20; i++) {
            latch.record(HOST, true, ForbiddenLatch.Pass.GO, s(i));
        }
        assertThat(latch.check("other.example.org:443", s(21)).verdict()).isEqualTo(ForbiddenLatch.Verdict.GO);
    }

    @Test
    void aSweepForgetsTheIdleHostsThatAreNotBlockedAndKeepsABlockedOneHoweverIdle() {
        latch.record("quiet.example.org:443", true, ForbiddenLatch.Pass.GO, s(0));
        for (int i = 0; i < 20; i++) {
            latch.record(HOST, true, ForbiddenLatch.Pass.GO, s(i));
        }
        latch.record("busy.example.org:443", false, ForbiddenLatch.Pass.GO, s(595));

        latch.sweep(s(599), s(600));
        assertThat(latch.size()).as("nothing idle for 600 s yet").isEqualTo(3);
        latch.sweep(s(1_000_000), s(600));

        assertThat(latch.size()).isOne();
        assertThat(latch.blockedHosts()).containsExactly(HOST);
        assertThat(latch.check(HOST, s(1_000_001)).verdict()).isEqualTo(ForbiddenLatch.Verdict.REFUSE);
        for (int i = 0; i < 19; i++) {
            latch.record("quiet.example.org:443", true, ForbiddenLatch.Pass.GO, s(1_000_001));
        }
        assertThat(latch.blockedHosts()).as("its first 403 was forgotten with it: 19 more do not latch")
                .containsExactly(HOST);
    }

    @Test
    void aHostThatLatchesWhileSweepsForgetItsStateIsNeverForgotten() throws InterruptedException {
        ForbiddenLatch onFirst = new ForbiddenLatch(1, 0.9, 50, 0, 10_000);
        AtomicBoolean done = new AtomicBoolean();
        Thread sweeper = new Thread(() -> {
            while (!done.get()) {
                onFirst.sweep(s(1), 0);   // every host not blocked is idle
            }
        });
        sweeper.start();
        List<String> latched = new ArrayList<>();
        try {
            for (int i = 0; i < 20_000; i++) {
                String host = "tenant" + i + ".example.org:443";
                if (onFirst.record(host, true, ForbiddenLatch.Pass.GO, s(0)) != null) {
                    latched.add(host);
                }
            }
        } finally {
            done.set(true);
            sweeper.join();
        }
        onFirst.sweep(s(1), 0);

        assertThat(latched).hasSize(20_000);
        assertThat(onFirst.blockedHosts()).hasSize(20_000);
    }

    @Test
    void aClosingIsNumberedAnewEvenAfterTheHostWasForgottenAndCameBack() {
        ForbiddenLatch small = new ForbiddenLatch(2, 0.9, 50, 0, 10_000);
        small.record(HOST, true, ForbiddenLatch.Pass.GO, s(0));
        ForbiddenLatch.Change first = small.record(HOST, true, ForbiddenLatch.Pass.GO, s(1));
        assertThat(small.unblock(HOST)).isEqualTo(first.closing());
        small.sweep(s(1_000), s(600));
        assertThat(small.size()).as("forgotten").isZero();

        small.record(HOST, true, ForbiddenLatch.Pass.GO, s(1_001));
        ForbiddenLatch.Change second = small.record(HOST, true, ForbiddenLatch.Pass.GO, s(1_002));

        assertThat(second.closing()).isNotEqualTo(first.closing());
        assertThat(small.whileLatched(HOST, first.closing(), () -> { })).as("the old closing is not this one").isFalse();
        assertThat(small.whileLatched(HOST, second.closing(), () -> { })).isTrue();
    }
}
