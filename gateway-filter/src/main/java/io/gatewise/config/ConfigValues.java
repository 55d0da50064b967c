package io.gatewise.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
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
        throw ConfigException.invalid(key, "\"" + text + "\" (expected: " + expected + ")");
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
                        ? "a list" : "\"" + parser.getText() + "\"";
                throw InvalidFormatException.from(parser, shown + " (expected: " + expected + ")", parser.getText(),
                        type);
            }
            String text = parser.getText();
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(parser, e.getMessage(), text, type);
            }
        }
    }
}
