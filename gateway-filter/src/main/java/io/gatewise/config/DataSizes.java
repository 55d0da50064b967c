package io.gatewise.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as people write them in a config file: {@code 8192}, {@code 16KB}, {@code 1MB}.
 * Units are binary: 1 KB is 1024 bytes ({@code KiB} and {@code MiB} are accepted too).
 */
public final class DataSizes {
    /** What a size must look like, for error messages. */
    public static final String EXPECTED = "a size such as 8192, 16KB or 1MB";

    private static final Pattern SIZE = Pattern.compile("(-?\\d+)\\s*(b|kb|kib|k|mb|mib|m)?");

    private DataSizes() {
    }

    /**
     * Parses a byte size.
     *
     * @param text the text, such as {@code 16KB}
     * @return the number of bytes
     * @throws IllegalArgumentException if the text is not a size or does not fit an int
     */
    public static int parse(String text) {
        Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(ConfigValues.quote(text) + " is not a size (expected: " + EXPECTED
                    + ")");
        }
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        long multiplier = unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 * 1024 : 1;
        try {
            return Math.toIntExact(Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(ConfigValues.quote(text) + " is too large (expected: " + EXPECTED
                    + ", below 2GB)");
        }
    }

    /**
     * Formats a byte size the way it is written in the config file.
     *
     * @param bytes the size
     * @return text such as {@code 16KB}
     */
    public static String format(int bytes) {
        if (bytes != 0 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "MB";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "KB";
        }
        return Integer.toString(bytes);
    }

    /**
     * @param key the key
     * @param bytes the size
     * @param min the least allowed
     * @param max the most allowed
     * @param expected the allowed sizes in words, for the message, such as {@code "from 1KB to 1MB"}
     * @return the size
     * @throws ConfigException if the size is out of range
     */
    static int require(String key, int bytes, int min, int max, String expected) {
        if (bytes < min || bytes > max) {
            throw ConfigException.invalid(key, format(bytes) + " (expected: " + expected + ")");
        }
        return bytes;
    }
}
