package dev.resilienthttp.retry.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses a {@code Retry-After} value (RFC 9110 section 10.2.3): delta-seconds, or an HTTP-date in any of the three
 * forms recipients must accept (section 5.6.7): IMF-fixdate, RFC 850 and asctime. A date is turned into a wait
 * against the {@code now} given, so tests and clients agree on the clock.
 */
public final class RetryAfter {
    private static final Pattern DELTA_SECONDS = Pattern.compile("\\d+");

    /**
     * A wait longer than any cap, for a delta-seconds too large to represent: the server asked for a very long wait,
     * which the policy refuses as over its cap, not as unreadable. Fits in nanoseconds, so no arithmetic on it
     * overflows.
     */
    public static final Duration TOO_LONG = Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}; a one-digit day is accepted too (Java's RFC_1123_DATE_TIME writes it). */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}; the two-digit year is resolved below. */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);
    /** {@code Sun Nov  6 08:49:37 1994} (a day below 10 is padded with a space). */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private RetryAfter() {
    }

    /**
     * The wait the header asks for at {@code now}: empty when the value is malformed or negative. A date in the
     * past asks for no wait at all.
     */
    public static Optional<Duration> parse(String value, Instant now) {
        String trimmed = value.strip();
        if (DELTA_SECONDS.matcher(trimmed).matches()) {
            return Optional.of(deltaSeconds(trimmed));
        }
        for (DateTimeFormatter format : List.of(IMF_FIXDATE, RFC_850, ASCTIME)) {
            Optional<Instant> date = date(trimmed, format, now);
            if (date.isPresent()) {
                Duration wait = Duration.between(now, date.get());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            }
        }
        return Optional.empty();
    }

    private static Duration deltaSeconds(String digits) {
        String significant = digits.replaceFirst("^0+(?=\\d)", "");
        if (significant.length() > 18) {
            return TOO_LONG;
        }
        long seconds = Long.parseLong(significant);
        return seconds > TOO_LONG.getSeconds() ? TOO_LONG : Duration.ofSeconds(seconds);
    }

    private static Optional<Instant> date(String value, DateTimeFormatter format, Instant now) {
        try {
            Instant date = LocalDateTime.parse(value, format).toInstant(ZoneOffset.UTC);
            if (format == RFC_850) {
                date = resolveTwoDigitYear(date, now);
            }
            return Optional.of(date);
        } catch (DateTimeException notThisForm) {
            return Optional.empty();
        }
    }

    /**
     * RFC 9110: a two-digit year that appears to be more than 50 years in the future is the most recent past year
     * with the same last two digits.
     */
    private static Instant resolveTwoDigitYear(Instant parsed, Instant now) {
        ZonedDateTime date = parsed.atZone(ZoneOffset.UTC);
        int nowYear = now.atZone(ZoneOffset.UTC).getYear();
        int year = nowYear - Math.floorMod(nowYear, 100) + date.getYear() % 100;
        if (year > nowYear + 50) {
            year -= 100;
        }
        return date.withYear(year).toInstant();
    }
}
