package io.gatewise.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a config file: {@code 500ms}, {@code 2s}, {@code 1m},
 * {@code 1h}, or ISO-8601 ({@code PT2S}).
 */
public final class Durations {
    /** What a duration must look like, for error messages. */
    public static final String EXPECTED = "a duration such as 500ms, 2s, 1m or 1h";

    private static final Pattern SIMPLE = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h)");

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
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" is out of range (expected: " + EXPECTED + ")");
            }
            switch (matcher.group(2)) {
                case "ms":
                    return Duration.ofMillis(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                default:
                    return Duration.ofHours(amount);
            }
        }
        if (trimmed.startsWith("pt") || trimmed.startsWith("-pt")) {
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                // falls through to the common message
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a duration (expected: " + EXPECTED + ")");
    }

    /**
     * Formats a duration the way it is written in the config file.
     *
     * @param duration the duration
     * @return text such as {@code 2s} or {@code 1500ms}
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
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

    static Duration requireNotNegative(String key, Duration value) {
        if (value == null) {
            throw ConfigException.invalid(key, "missing (expected: " + EXPECTED + ")");
        }
        if (value.isNegative()) {
            throw ConfigException.invalid(key, format(value) + " (expected: a duration such as 30s, or 0s)");
        }
        return value;
    }

    static Duration requirePositive(String key, Duration value) {
        if (value == null) {
            throw ConfigException.invalid(key, "missing (expected: " + EXPECTED + ")");
        }
        if (value.isNegative() || value.isZero()) {
            throw ConfigException.invalid(key, format(value) + " is not positive (expected: " + EXPECTED
                    + ", greater than zero)");
        }
        return value;
    }
}
