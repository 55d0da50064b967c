package io.gatewise.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key of a YAML document stands, so that a problem found after binding (a bad URL, two
 * routes with one path) can still be reported at its line and column.
 *
 * <p>Keys are JSON pointers ({@code /routes/0/timeouts/connect}). A scalar value is placed at the
 * value itself; a mapping or list at its key; a list entry at its first token.
 */
final class KeyLocations {
    private final Map<String, JsonLocation> keys;
    private final Map<String, JsonLocation> locations;
    private final Map<String, String> values;

    private KeyLocations(Map<String, JsonLocation> keys, Map<String, JsonLocation> locations,
            Map<String, String> values) {
        this.keys = keys;
        this.locations = locations;
        this.values = values;
    }

    static KeyLocations index(YAMLFactory factory, String yaml) {
        Map<String, JsonLocation> keys = new HashMap<>();
        Map<String, JsonLocation> locations = new HashMap<>();
        Map<String, String> values = new HashMap<>();
        try (JsonParser parser = factory.createParser(yaml)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                boolean structure = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
                JsonStreamContext context = structure ? parser.getParsingContext().getParent()
                        : parser.getParsingContext();
                if (context == null || token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    continue;
                }
                String pointer = context.pathAsPointer().toString();
                if (token == JsonToken.FIELD_NAME) {
                    keys.putIfAbsent(pointer, parser.currentTokenLocation());
                }
                if (token == JsonToken.FIELD_NAME || context.inArray()) {
                    locations.putIfAbsent(pointer, parser.currentTokenLocation());
                } else if (!structure) {
                    locations.put(pointer, parser.currentTokenLocation());
                }
                if (token != JsonToken.FIELD_NAME) {
                    values.putIfAbsent(pointer, token == JsonToken.START_OBJECT ? "a mapping"
                            : token == JsonToken.START_ARRAY ? "a list"
                            : token == JsonToken.VALUE_NULL ? "an empty value" : ConfigValues.quote(parser.getText()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // A document that does not parse is reported by the binder with its own location.
        }
        return new KeyLocations(keys, locations, values);
    }

    /**
     * @param pointer a JSON pointer such as {@code /routes/0/path}
     * @return the value at the pointer as a person would name it: {@code "text"} for a scalar,
     *     {@code a mapping}, {@code a list}; {@code this value} when unknown
     */
    String describe(String pointer) {
        return values.getOrDefault(pointer, "this value");
    }

    /**
     * @param pointer a JSON pointer such as {@code /routes/0/timout}
     * @return where the key itself stands, or null if the pointer names no key
     */
    JsonLocation findKey(String pointer) {
        return keys.get(pointer);
    }

    /**
     * @param pointer a JSON pointer such as {@code /routes/0/path}
     * @return the location of the pointer, or of its nearest ancestor that has one; null if none
     */
    JsonLocation find(String pointer) {
        String candidate = pointer;
        while (true) {
            JsonLocation location = locations.get(candidate);
            if (location != null || candidate.isEmpty()) {
                return location;
            }
            candidate = candidate.substring(0, Math.max(0, candidate.lastIndexOf('/')));
        }
    }
}
