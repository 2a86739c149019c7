package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.retry.Jitter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The decision with virtual time: literal elapsed times and a literal wall clock, a seeded random source. */
class RetryDeciderTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private static Settings settings(Jitter jitter, long seed) {
        Random random = new Random(seed);
        return new Settings(6, Duration.ofMillis(250), 2.0, Duration.ofSeconds(30), jitter, Duration.ofSeconds(120),
                Duration.ofMinutes(5), 1, false, Map.of(), () -> random);
    }

    private final RetryDecider standard = new RetryDecider(settings(Jitter.FULL, 42));

    private static AttemptFacts facts(int attempt, FailureKind kind, Outcome outcome, int status, String retryAfter,
                                      String method, boolean safe, Duration elapsed) {
        return new AttemptFacts(attempt, kind, outcome, status, retryAfter, method, safe,
                kind == FailureKind.FORBIDDEN ? attempt : 0, Duration.ZERO, elapsed, NOW);
    }

    private static AttemptFacts getReset(int attempt) {
        return facts(attempt, FailureKind.CONNECTION_RESET, Outcome.PROCESSED, 0, "", "GET", true, Duration.ZERO);
    }

    private static Duration delay(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Retry.class);
        return ((Decision.Retry) decision).delay();
    }

    @Test
    void fullJitterDrawsEachWaitFromZeroToTheExponentialStepAndSpreadsOverIt() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            Duration step = Duration.ofMillis(250L << (attempt - 1));
            Duration shortest = step;
            Duration longest = Duration.ZERO;
            for (int sample = 0; sample < 2_000; sample++) {
                Duration wait = delay(standard.decide(getReset(attempt)));
                assertThat(wait).isBetween(Duration.ZERO, step);
                shortest = wait.compareTo(shortest) < 0 ? wait : shortest;
                longest = wait.compareTo(longest) > 0 ? wait : longest;
            }
            assertThat(shortest).as("attempt %d", attempt).isLessThan(step.dividedBy(10));
            assertThat(longest).as("attempt %d", attempt).isGreaterThan(step.multipliedBy(9).dividedBy(10));
        }
    }

    @Test
    void theExponentialStepNeverExceedsTheCap() {
        RetryDecider manyAttempts = new RetryDecider(new Settings(100, Duration.ofMillis(250), 2.0,
                Duration.ofSeconds(30), Jitter.FULL, Duration.ofSeconds(120), Duration.ofDays(1), 1, false, Map.of(),
                () -> new Random(7)));
        for (int attempt = 1; attempt < 100; attempt++) {
            assertThat(delay(manyAttempts.decide(getReset(attempt)))).isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void decorrelatedJitterStaysBetweenBaseAndThreeTimesThePreviousWaitUnderTheCap() {
        RetryDecider decorrelated = new RetryDecider(settings(Jitter.DECORRELATED, 3));
        Duration previous = Duration.ofMillis(250);
        for (int attempt = 1; attempt <= 5; attempt++) {
            AttemptFacts facts = new AttemptFacts(attempt, FailureKind.SERVER_ERROR, Outcome.PROCESSED, 500, "", "GET",
                    true, 0, previous, Duration.ZERO, NOW);
            Duration wait = delay(decorrelated.decide(facts));
            assertThat(wait).isBetween(Duration.ofMillis(250), previous.multipliedBy(3).plusMillis(250));
            assertThat(wait).isLessThanOrEqualTo(Duration.ofSeconds(30));
            previous = wait;
        }
    }

    @Test
    void theLastAllowedAttemptEndsTheCallWithItsOwnKind() {
        assertThat(standard.decide(getReset(5))).isInstanceOf(Decision.Retry.class);
        assertThat(standard.decide(getReset(6))).isEqualTo(new Decision.Stop(FailureKind.CONNECTION_RESET, ""));
    }

    @Test
    void aStaleConnectionIsRetriedAtOnce() {
        AttemptFacts stale = facts(1, FailureKind.STALE_CONNECTION, Outcome.MAYBE_PROCESSED, 0, "", "POST", true,
                Duration.ZERO);
        assertThat(delay(standard.decide(stale))).isZero();
    }

    @Test
    void retryAfterSecondsAreWaitedExactly() {
        AttemptFacts throttled = facts(1, FailureKind.THROTTLED, Outcome.PROCESSED, 429, "2", "POST", false,
                Duration.ZERO);
        assertThat(delay(standard.decide(throttled))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterDateIsWaitedUntilByTheInjectedClock() {
        AttemptFacts throttled = facts(1, FailureKind.THROTTLED, Outcome.PROCESSED, 503,
                "Sat, 21 Nov 2026 12:00:09 GMT", "GET", true, Duration.ZERO);
        assertThat(delay(standard.decide(throttled))).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void aRetryAfterAboveTheCapEndsTheCallAtOnceNamingTheCap() {
        AttemptFacts throttled = facts(1, FailureKind.THROTTLED, Outcome.PROCESSED, 429, "100000", "GET", true,
                Duration.ZERO);
        Decision decision = standard.decide(throttled);
        assertThat(decision).isInstanceOf(Decision.Stop.class);
        Decision.Stop stop = (Decision.Stop) decision;
        assertThat(stop.kind()).isEqualTo(FailureKind.THROTTLED);
        assertThat(stop.detail()).contains("100000 s").contains("120 s cap");
    }

    @Test
    void aMalformedRetryAfterFallsBackToTheBackoff() {
        AttemptFacts throttled = facts(1, FailureKind.THROTTLED, Outcome.PROCESSED, 429, "soon", "GET", true,
                Duration.ZERO);
        assertThat(delay(standard.decide(throttled))).isBetween(Duration.ZERO, Duration.ofMillis(250));
    }

    @Test
    void aWaitThatWouldEndPastTheDeadlineEndsTheCallWithDeadlineExceeded() {
        AttemptFacts late = facts(2, FailureKind.THROTTLED, Outcome.PROCESSED, 429, "90", "GET", true,
                Duration.ofSeconds(240));
        Decision decision = standard.decide(late);
        assertThat(decision).isInstanceOf(Decision.Stop.class);
        assertThat(((Decision.Stop) decision).kind()).isEqualTo(FailureKind.DEADLINE_EXCEEDED);
        assertThat(((Decision.Stop) decision).detail()).contains("300 s deadline");
    }

    @Test
    void a403IsRetriedOnceThenEndsTheCall() {
        AttemptFacts first = facts(1, FailureKind.FORBIDDEN, Outcome.PROCESSED, 403, "", "GET", true, Duration.ZERO);
        AttemptFacts second = facts(2, FailureKind.FORBIDDEN, Outcome.PROCESSED, 403, "", "GET", true, Duration.ZERO);
        assertThat(standard.decide(first)).isInstanceOf(Decision.Retry.class);
        assertThat(standard.decide(second)).isEqualTo(new Decision.Stop(FailureKind.FORBIDDEN, ""));
    }

    @Test
    void aServerErrorThatWillNotChangeLike501IsNotRetried() {
        AttemptFacts notImplemented = facts(1, FailureKind.PERMANENT_SERVER_ERROR, Outcome.PROCESSED, 501, "", "GET",
                true, Duration.ZERO);
        assertThat(standard.decide(notImplemented))
                .isEqualTo(new Decision.Stop(FailureKind.PERMANENT_SERVER_ERROR, ""));
    }

    @Test
    void theDecisionReadsTheKindNotTheStatusSoAStatusMappedToARetriedKindIsRetried() {
        AttemptFacts conflict = facts(1, FailureKind.SERVER_ERROR, Outcome.PROCESSED, 409, "", "GET", true,
                Duration.ZERO);
        assertThat(standard.decide(conflict)).isInstanceOf(Decision.Retry.class);
    }

    @Test
    void decorrelatedJitterIsRandomFromTheFirstRetry() {
        RetryDecider decorrelated = new RetryDecider(settings(Jitter.DECORRELATED, 5));
        AttemptFacts first = new AttemptFacts(1, FailureKind.SERVER_ERROR, Outcome.PROCESSED, 500, "", "GET", true,
                0, Duration.ZERO, Duration.ZERO, NOW);
        java.util.Set<Duration> waits = new java.util.HashSet<>();
        for (int sample = 0; sample < 20; sample++) {
            Duration wait = delay(decorrelated.decide(first));
            assertThat(wait).isBetween(Duration.ofMillis(250), Duration.ofMillis(750));
            waits.add(wait);
        }
        assertThat(waits).hasSizeGreaterThan(1);
    }

    @Test
    void permanentKindsEndTheCallAtOnce() {
        for (FailureKind kind : new FailureKind[] {FailureKind.CLIENT_ERROR, FailureKind.IO_ERROR,
                FailureKind.BLOCKED}) {
            AttemptFacts facts = facts(1, kind, Outcome.PROCESSED, 404, "", "GET", true, Duration.ZERO);
            assertThat(standard.decide(facts)).isEqualTo(new Decision.Stop(kind, ""));
        }
    }

    @Test
    void aPostWithoutAKeyThatMayHaveBeenProcessedIsNotRetried() {
        AttemptFacts reset = facts(1, FailureKind.CONNECTION_RESET, Outcome.MAYBE_PROCESSED, 0, "", "POST", false,
                Duration.ZERO);
        AttemptFacts serverError = facts(1, FailureKind.SERVER_ERROR, Outcome.PROCESSED, 500, "", "POST", false,
                Duration.ZERO);
        assertThat(standard.decide(reset)).isInstanceOfSatisfying(Decision.Stop.class,
                stop -> assertThat(stop.detail()).contains("POST without an Idempotency-Key"));
        assertThat(standard.decide(serverError)).isInstanceOf(Decision.Stop.class);
    }

    @Test
    void aPostWithoutAKeyIsRetriedWhenNothingWasSentOrTheServerRejectedIt() {
        AttemptFacts refused = facts(1, FailureKind.CONNECT_FAILURE, Outcome.NOT_SENT, 0, "", "POST", false,
                Duration.ZERO);
        AttemptFacts throttled = facts(1, FailureKind.THROTTLED, Outcome.PROCESSED, 429, "", "POST", false,
                Duration.ZERO);
        AttemptFacts unavailable = facts(1, FailureKind.SERVER_ERROR, Outcome.PROCESSED, 503, "", "POST", false,
                Duration.ZERO);
        assertThat(standard.decide(refused)).isInstanceOf(Decision.Retry.class);
        assertThat(standard.decide(throttled)).isInstanceOf(Decision.Retry.class);
        assertThat(standard.decide(unavailable)).isInstanceOf(Decision.Retry.class);
    }

    @Test
    void a429IsARejectionWhateverKindTheUserMappedItTo() {
        AttemptFacts tooMany = facts(1, FailureKind.SERVER_ERROR, Outcome.PROCESSED, 429, "", "POST", false,
                Duration.ZERO);
        assertThat(standard.decide(tooMany)).as("429 means the server did not act on it (RFC 6585)")
                .isInstanceOf(Decision.Retry.class);
    }

    @Test
    void retryNonIdempotentLetsAnUnkeyedPostBeRetried() {
        Random random = new Random(1);
        RetryDecider optedIn = new RetryDecider(new Settings(6, Duration.ofMillis(250), 2.0, Duration.ofSeconds(30),
                Jitter.FULL, Duration.ofSeconds(120), Duration.ofMinutes(5), 1, true, Map.of(), () -> random));
        AttemptFacts reset = facts(1, FailureKind.CONNECTION_RESET, Outcome.MAYBE_PROCESSED, 0, "", "POST", false,
                Duration.ZERO);
        assertThat(optedIn.decide(reset)).isInstanceOf(Decision.Retry.class);
    }

    @Test
    void aRetryAfterTooLargeToRepresentIsOverTheCapNotUnreadable() {
        AttemptFacts throttled = facts(1, FailureKind.THROTTLED, Outcome.PROCESSED, 429, "99999999999999999999",
                "GET", true, Duration.ZERO);

        Decision decision = standard.decide(throttled);

        assertThat(decision).isInstanceOf(Decision.Stop.class);
        assertThat(((Decision.Stop) decision).kind()).isEqualTo(FailureKind.THROTTLED);
        assertThat(((Decision.Stop) decision).detail()).contains("longer than can be counted")
                .contains("more than the 120 s cap");
    }
}
