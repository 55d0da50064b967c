package io.gatewise.answer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code Retry-After} value someone else wrote (RFC 9110 10.2.3): a number of seconds, or
 * an HTTP date. Anything else, and a delay longer than {@link #MAX_SECONDS}, is no value at all:
 * the gateway then says its own, so a visitor never sees one number on the page and another in the
 * header, nor an upstream's free text.
 */
final class RetryAfter {
    /** The longest delay taken from someone else: a day. */
    static final long MAX_SECONDS = Duration.ofDays(1).toSeconds();

    /** The three forms of an HTTP date a recipient must accept (RFC 9110 5.6.7): IMF-fixdate, RFC 850, asctime. */
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2,
                    1970).appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US).withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

    private RetryAfter() {
    }

    /**
     * @param value a {@code Retry-After} value, or null
     * @param clock what "now" is, for an HTTP date
     * @return the delay in seconds (0 for a date already past), or null when the value is missing,
     *     not valid, or longer than a day
     */
    static Long seconds(String value, Clock clock) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.matches("\\d{1,9}")) {
            long seconds = Long.parseLong(trimmed);
            return seconds <= MAX_SECONDS ? seconds : null;
        }
        if (trimmed.length() > 40) {
            return null;
        }
        for (DateTimeFormatter format : HTTP_DATES) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, format).toInstant();
                long seconds = Math.max(0, Duration.between(clock.instant(), at).toSeconds());
                return seconds <= MAX_SECONDS ? seconds : null;
            } catch (DateTimeParseException e) {
                // Try the next of the three forms.
            }
        }
        return null;
    }
}
