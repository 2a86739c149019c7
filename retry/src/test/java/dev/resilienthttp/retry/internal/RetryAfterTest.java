package dev.resilienthttp.retry.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** All against one literal "now": Sun, 06 Nov 1994 08:49:30 GMT, seven seconds before RFC 9110's example date. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("1994-11-06T08:49:30Z");

    @Test
    void deltaSecondsAreTheWait() {
        assertThat(RetryAfter.parse("2", NOW)).hasValue(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse(" 120 ", NOW)).hasValue(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("0", NOW)).hasValue(Duration.ZERO);
    }

    @Test
    void anImfFixdateIsTheTimeUntilThen() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).hasValue(Duration.ofSeconds(7));
    }

    @Test
    void anRfc850DateIsTheTimeUntilThen() {
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).hasValue(Duration.ofSeconds(7));
    }

    @Test
    void anAsctimeDateIsTheTimeUntilThen() {
        assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW)).hasValue(Duration.ofSeconds(7));
    }

    @Test
    void anRfc850YearMoreThanFiftyYearsAheadIsInThePastCentury() {
        Instant in2040 = Instant.parse("2040-01-01T00:00:00Z");
        // "95" read as 2095 would be 55 years ahead: it is 1995, long past, so no wait.
        assertThat(RetryAfter.parse("Sunday, 05-Nov-95 08:49:37 GMT", in2040)).hasValue(Duration.ZERO);
        // "41" is 2041: a year ahead.
        assertThat(RetryAfter.parse("Tuesday, 01-Jan-41 00:00:00 GMT", in2040)).hasValue(Duration.ofDays(366));
    }

    @Test
    void aDateInThePastAsksForNoWait() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:00 GMT", NOW)).hasValue(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-5", "1.5", "soon", "Sun, 06 Nov 1994 25:00:00 GMT",
            "Mon, 06 Nov 1994 08:49:37 GMT", "2s"})
    void malformedOrNegativeValuesAreNotAWait(String value) {
        assertThat(RetryAfter.parse(value, NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "9223372036854775807", "9223372037"})
    void aDeltaTooLargeToRepresentIsTheLongestWaitNotAnUnreadableOne(String value) {
        assertThat(RetryAfter.parse(value, NOW)).hasValue(RetryAfter.TOO_LONG);
        assertThat(RetryAfter.TOO_LONG.toNanos()).as("no arithmetic on it overflows").isPositive();
    }

    @Test
    void leadingZerosAreStillDeltaSeconds() {
        assertThat(RetryAfter.parse("000000000000000000000120", NOW)).hasValue(Duration.ofSeconds(120));
    }
}
