package io.gatewise.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a config file: {@code 500ms}, {@code 2s}, {@code 1m},
 * {@code 1h}, {@code 14d}, or ISO-8601 ({@code PT2S}). Most keys take up to {@link #MAX}; days are
 * for the few that look further ahead, such as {@code alerts.rules.certificateExpiry.within}.
 */
public final class Durations {
    /** What a duration must look like, for error messages. */
    public static final String EXPECTED = "a duration such as 500ms, 2s, 1m or 1h";
    /** The longest duration any key takes: longer ones overflow the millisecond timers they feed. */
    public static final Duration MAX = Duration.ofHours(24);
    /** The shortest positive duration: timers count whole milliseconds, and 0 ms means none. */
    public static final Duration MIN_POSITIVE = Duration.ofMillis(1);

    private static final Pattern SIMPLE = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text the text, such as {@code 2s}
     * @return the duration
     * @throws IllegalArgumentException if the text is not a duration
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SIMPLE.matcher(trimmed);
        if (matcher.matches()) {
            try {
                long amount = Long.parseLong(matcher.group(1));
                switch (matcher.group(2)) {
                    case "ms":
                        return Duration.ofMillis(amount);
                    case "s":
                        return Duration.ofSeconds(amount);
                    case "m":
                        return Duration.ofMinutes(amount);
                    case "h":
                        return Duration.ofHours(amount);
                    default:
                        return Duration.ofDays(amount);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw outOfRange(text);
            }
        }
        if (trimmed.startsWith("pt") || trimmed.startsWith("-pt")) {
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException) {
                    throw outOfRange(text);
                }
                // falls through to the common message
            }
        }
        throw new IllegalArgumentException(ConfigValues.quote(text) + " is not a duration (expected: " + EXPECTED
                + ")");
    }

    private static IllegalArgumentException outOfRange(String text) {
        return new IllegalArgumentException(ConfigValues.quote(text) + " is out of range (expected: " + EXPECTED
                + ", up to " + format(MAX) + ")");
    }

    /**
     * Formats a duration the way it is written in the config file.
     *
     * @param duration the duration
     * @return text such as {@code 2s} or {@code 1500ms}
     */
    public static String format(Duration duration) {
        long millis;
        try {
            millis = duration.toMillis();
        } catch (ArithmeticException e) {
            return duration.toString();
        }
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        if (millis % 86_400_000 == 0 && millis > MAX.toMillis()) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0 && millis != 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis != 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /**
     * @param key the key
     * @param value the duration
     * @return the duration
     * @throws ConfigException if it is missing, negative or longer than {@link #MAX}
     */
    static Duration requireNotNegative(String key, Duration value) {
        if (value == null) {
            throw ConfigException.invalid(key, "missing (expected: " + EXPECTED + ")");
        }
        if (value.isNegative()) {
            throw ConfigException.invalid(key, format(value) + " (expected: a duration such as 30s, or 0s)");
        }
        return requireAtMost(key, value, Duration.ZERO);
    }

    /**
     * @param key the key
     * @param value the duration
     * @return the duration
     * @throws ConfigException if it is missing, not positive, under 1ms or longer than {@link #MAX}
     */
    static Duration requirePositive(String key, Duration value) {
        return requireBetween(key, value, MIN_POSITIVE);
    }

    /**
     * @param key the key
     * @param value the duration
     * @param min the shortest allowed, at least {@link #MIN_POSITIVE}
     * @return the duration
     * @throws ConfigException if it is missing, not positive, shorter than {@code min} or longer
     *     than {@link #MAX}
     */
    static Duration requireBetween(String key, Duration value, Duration min) {
        if (value == null) {
            throw ConfigException.invalid(key, "missing (expected: " + EXPECTED + ")");
        }
        if (value.isNegative() || value.isZero()) {
            throw ConfigException.invalid(key, format(value) + " is not positive (expected: " + EXPECTED
                    + ", greater than zero)");
        }
        if (value.compareTo(min) < 0) {
            throw ConfigException.invalid(key, format(value) + " (expected: from " + format(min) + " to "
                    + format(MAX) + ")");
        }
        return requireAtMost(key, value, min);
    }

    /**
     * @param key the key
     * @param value the duration
     * @param min the shortest allowed, at least {@link #MIN_POSITIVE}
     * @param max the longest allowed, at most {@link #MAX}
     * @param why why the longest is what it is, such as {@code ": the gateway keeps 5 minutes"}, or empty
     * @return the duration
     * @throws ConfigException if it is missing, not positive, or outside {@code min} to {@code max}
     */
    static Duration requireBetween(String key, Duration value, Duration min, Duration max, String why) {
        requireBetween(key, value, min);
        if (value.compareTo(max) > 0) {
            throw ConfigException.invalid(key, format(value) + " (expected: from " + format(min) + " to " + format(max)
                    + why + ")");
        }
        return value;
    }

    private static Duration requireAtMost(String key, Duration value, Duration min) {
        if (value.compareTo(MAX) > 0) {
            throw ConfigException.invalid(key, format(value) + " (expected: from " + format(min) + " to "
                    + format(MAX) + ")");
        }
        return value;
    }
}
