package io.gatewise.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Value types of the config file: Jackson deserializers for durations and byte sizes, and the
 * names by which enum values are written.
 */
final class ConfigValues {
    private ConfigValues() {
    }

    /** @return a module that reads {@link Duration} values as {@link Durations} writes them */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("gatewise-config-values");
        module.addDeserializer(Duration.class, new DurationDeserializer());
        return module;
    }

    /**
     * @param value an enum value
     * @return its name in the config file: lower case, with {@code -} for {@code _}, such as
     *     {@code least-in-flight}
     */
    static String token(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param key the key, for the message
     * @param text the value as written, in any case
     * @param values the enum's values, in the order the message lists them
     * @return the value whose {@link #token(Enum)} the text is
     * @throws ConfigException naming every allowed value if none matches
     */
    static <E extends Enum<E>> E parseToken(String key, String text, E[] values) {
        String wanted = text == null ? null : text.trim().toLowerCase(Locale.ROOT);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (token(values[i]).equals(wanted)) {
                return values[i];
            }
            expected.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(token(values[i]));
        }
        throw ConfigException.invalid(key, quote(text) + " (expected: " + expected + ")");
    }

    /** The most characters of a value that a message repeats. */
    static final int SHOWN = 100;

    /**
     * @param text a value as written, possibly very long
     * @return the value in double quotes for a message: control characters escaped, and cut after
     *     {@value #SHOWN} characters with {@code …" (N characters)}, so a message stays short
     */
    static String quote(String text) {
        if (text == null) {
            return "\"null\"";
        }
        int end = text.length() <= SHOWN ? text.length()
                : Character.isHighSurrogate(text.charAt(SHOWN - 1)) ? SHOWN - 1 : SHOWN;
        StringBuilder quoted = new StringBuilder(end + 32).append('"');
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                quoted.append("\\n");
            } else if (c == '\t') {
                quoted.append("\\t");
            } else if (c == '\r') {
                quoted.append("\\r");
            } else if (Character.isISOControl(c)) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        if (end < text.length()) {
            return quoted.append("…\" (").append(text.length()).append(" characters)").toString();
        }
        return quoted.append('"').toString();
    }

    /**
     * @param text a value as written
     * @return whether it has only printable ASCII characters and no space, as header values and
     *     paths sent upstream must
     */
    static boolean isPrintableWithoutSpaces(String text) {
        return text.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }

    /** Reads {@code 2s}, {@code 500ms}, {@code PT2S}; the error points at the value. */
    static final class DurationDeserializer extends TextDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class, Durations.EXPECTED, Durations::parse);
        }
    }

    /** Reads {@code 8192}, {@code 16KB}, {@code 1MB}; the error points at the value. */
    static final class DataSizeDeserializer extends TextDeserializer<Integer> {
        DataSizeDeserializer() {
            super(Integer.class, DataSizes.EXPECTED, DataSizes::parse);
        }
    }

    /** Reads a scalar written as text or a number with a parser that throws IllegalArgumentException. */
    private abstract static class TextDeserializer<T> extends JsonDeserializer<T> {
        private final Class<T> type;
        private final String expected;
        private final Function<String, T> parse;

        TextDeserializer(Class<T> type, String expected, Function<String, T> parse) {
            this.type = type;
            this.expected = expected;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT) {
                String shown = token == JsonToken.START_OBJECT ? "a mapping" : token == JsonToken.START_ARRAY
                        ? "a list" : quote(parser.getText());
                throw InvalidFormatException.from(parser, shown + " (expected: " + expected + ")", parser.getText(),
                        type);
            }
            String text = parser.getText();
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
                throw InvalidFormatException.from(parser, e.getMessage(), text, type);
            }
        }
    }
}
