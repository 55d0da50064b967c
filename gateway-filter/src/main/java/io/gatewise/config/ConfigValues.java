package io.gatewise.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;

/** Jackson deserializers for the value types of the config file: durations and byte sizes. */
final class ConfigValues {
    private ConfigValues() {
    }

    /** @return a module that reads {@link Duration} values as {@link Durations} writes them */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("gatewise-config-values");
        module.addDeserializer(Duration.class, new DurationDeserializer());
        return module;
    }

    /** Reads {@code 2s}, {@code 500ms}, {@code PT2S}; the error points at the value. */
    static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = scalarText(parser, Durations.EXPECTED, Duration.class);
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(parser, e.getMessage(), text, Duration.class);
            }
        }
    }

    /** Reads {@code 8192}, {@code 16KB}, {@code 1MB}; the error points at the value. */
    static final class DataSizeDeserializer extends JsonDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = scalarText(parser, DataSizes.EXPECTED, Integer.class);
            try {
                return DataSizes.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(parser, e.getMessage(), text, Integer.class);
            }
        }
    }

    private static String scalarText(JsonParser parser, String expected, Class<?> type) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getText();
        }
        String shown = token == JsonToken.START_OBJECT ? "a mapping" : token == JsonToken.START_ARRAY
                ? "a list" : "\"" + parser.getText() + "\"";
        throw InvalidFormatException.from(parser, shown + " (expected: " + expected + ")", parser.getText(), type);
    }
}
