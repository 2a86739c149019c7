package dev.resilienthttp.retry.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The latch with literal times, in seconds as nanoseconds. */
class ForbiddenLatchTest {
    private static final String HOST = "api.example.org:443";

    private static long s(double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }

    private final ForbiddenLatch latch = new ForbiddenLatch(20, 0.9, 50, 0);

    @Test
    void twentyConsecutive403sLatchTheHostAndTheNineteenthDoesNot() {
        for (int i = 0; i < 19; i++) {
            assertThat(latch.record(HOST, true, s(i))).isNull();
        }
        assertThat(latch.refuses(HOST, s(19))).isFalse();
        ForbiddenLatch.Latched latched = latch.record(HOST, true, s(19));
        assertThat(latched).isNotNull();
        assertThat(latched.reason()).isEqualTo("20 consecutive 403s");
        assertThat(latch.refuses(HOST, s(20))).isTrue();
        assertThat(latch.blockedHosts()).containsExactly(HOST);
    }

    @Test
    void aFewSuccessesAmongNinetyPercent403sStillLatchOnceTheWindowIsFull() {
        ForbiddenLatch.Latched latched = null;
        for (int i = 0; i < 50 && latched == null; i++) {
            latched = latch.record(HOST, i % 10 != 0, s(i));
        }
        assertThat(latched).isNotNull();
        assertThat(latched.reason()).isEqualTo("45 of the last 50 responses were 403");
    }

    @Test
    void forbiddenAnswersThatSlideOutOfTheWindowNoLongerCount() {
        ForbiddenLatch small = new ForbiddenLatch(100, 0.75, 4, 0);
        boolean[] answers = {true, true, false, false, true, false, true};   // never 3 of the last 4
        for (int i = 0; i < answers.length; i++) {
            assertThat(small.record(HOST, answers[i], s(i))).as("answer %d", i).isNull();
        }

        ForbiddenLatch.Latched latched = small.record(HOST, true, s(answers.length));

        assertThat(latched).isNotNull();
        assertThat(latched.reason()).isEqualTo("3 of the last 4 responses were 403");
    }

    @Test
    void aLongRunOfSuccessesThenForbiddenAnswersLatchOnTheLastWindowAlone() {
        ForbiddenLatch small = new ForbiddenLatch(100, 0.5, 4, 0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(small.record(HOST, false, s(i))).isNull();
        }

        assertThat(small.record(HOST, true, s(1_000))).isNull();
        ForbiddenLatch.Latched latched = small.record(HOST, true, s(1_001));

        assertThat(latched).isNotNull();
        assertThat(latched.reason()).isEqualTo("2 of the last 4 responses were 403");
    }

    @Test
    void scattered403sOfDeletedResourcesNeverLatch() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(latch.record(HOST, i % 3 == 0, s(i))).isNull();
        }
        assertThat(latch.blockedHosts()).isEmpty();
    }

    @Test
    void aBlockedHostStaysBlockedWithoutAProbeUntilSomeoneUnblocksIt() {
        for (int i = 0; i < 20; i++) {
            latch.record(HOST, true, s(i));
        }
        assertThat(latch.refuses(HOST, s(1_000_000))).isTrue();
        assertThat(latch.unblock(HOST)).isTrue();
        assertThat(latch.refuses(HOST, s(1_000_001))).isFalse();
        assertThat(latch.unblock(HOST)).isFalse();
        assertThat(latch.record(HOST, true, s(1_000_002))).as("history was forgotten").isNull();
    }

    @Test
    void withAProbeIntervalOneCallGoesThroughAndItsAnswerDecides() {
        ForbiddenLatch probing = new ForbiddenLatch(2, 0.9, 50, s(60));
        probing.record(HOST, true, s(0));
        probing.record(HOST, true, s(1));
        assertThat(probing.refuses(HOST, s(30))).isTrue();

        assertThat(probing.refuses(HOST, s(61))).as("the probe").isFalse();
        assertThat(probing.refuses(HOST, s(61))).as("others while it runs").isTrue();
        probing.record(HOST, true, s(62));
        assertThat(probing.refuses(HOST, s(100))).as("403 again: latched anew").isTrue();

        assertThat(probing.refuses(HOST, s(122))).as("the next probe").isFalse();
        probing.record(HOST, false, s(123));
        assertThat(probing.refuses(HOST, s(123))).isFalse();
        assertThat(probing.blockedHosts()).isEmpty();
    }

    @Test
    void hostsAreLatchedApart() {
        for (int i = 0; i < 20; i++) {
            latch.record(HOST, true, s(i));
        }
        assertThat(latch.refuses("other.example.org:443", s(21))).isFalse();
    }
}
