package io.gatewise.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.gatewise.config.ConfigLoader;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference ({@code docs/configuration.md}) and the config model agree both
 * ways: every key the loader accepts has a row (or is named in the row of its section), and every
 * key a row names is one the loader accepts. The model's keys come from the builders'
 * {@code @JsonProperty} methods, the same list an unknown key's message gives.
 */
class ConfigurationReferenceTest {
    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern KEY = Pattern.compile("[a-zA-Z]+(\\[\\])?(\\.[a-zA-Z0-9-]+(\\[\\])?)*");

    @Test
    void everyKeyOfTheModelIsDocumentedAndEveryDocumentedKeyExists() throws IOException {
        SortedSet<String> model = new TreeSet<>();
        SortedSet<String> sections = new TreeSet<>();
        walk(GatewayConfig.class, "", model, sections);
        assertThat(model).as("keys of the model").contains("gateway.warmup", "routes[].upstreams[].url",
                "tracing.samplingRatio");

        List<List<String>> rows = rows();
        SortedSet<String> documented = new TreeSet<>();
        for (List<String> row : rows) {
            row.stream().filter(key -> !key.startsWith("~")).forEach(documented::add);
        }
        List<String> undocumented = new ArrayList<>();
        for (String key : model) {
            if (!documented.contains(key) && !namedInItsSectionsRow(key, rows, sections)) {
                undocumented.add(key);
            }
        }
        List<String> unknown = documented.stream().filter(key -> !model.contains(key) && !sections.contains(key))
                .toList();

        assertThat(undocumented).as("keys the loader accepts that docs/configuration.md does not name").isEmpty();
        assertThat(unknown).as("keys docs/configuration.md names that the loader does not accept").isEmpty();
    }

    /** @return whether a row of one of the key's enclosing sections names the key's last part */
    private static boolean namedInItsSectionsRow(String key, List<List<String>> rows, SortedSet<String> sections) {
        for (int dot = key.lastIndexOf('.'); dot > 0; dot = key.lastIndexOf('.', dot - 1)) {
            String section = key.substring(0, dot).replaceAll("\\[\\]$", "");
            String rest = key.substring(dot + 1);
            for (List<String> row : rows) {
                if (row.contains(section) && sections.contains(section) && row.contains("~" + rest)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @return per table row, the keys of its first cell (a later {@code `maxTime`} beside
     *     {@code `routes[].ejection.baseTime`} is that section's {@code maxTime}), and every other
     *     word in backticks in the row, marked {@code ~}
     */
    private static List<List<String>> rows() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            int cellEnd = line.indexOf(" |", 2);
            List<String> keys = new ArrayList<>();
            String first = null;
            Matcher code = CODE.matcher(line.substring(0, cellEnd));
            while (code.find()) {
                String key = code.group(1);
                if (!KEY.matcher(key).matches()) {
                    continue;
                }
                key = key.replaceAll("\\[\\]$", "");
                if (first == null || key.contains(".")) {
                    first = key;
                    keys.add(key);
                } else {
                    keys.add(first.substring(0, first.lastIndexOf('.') + 1) + key);
                }
            }
            Matcher named = CODE.matcher(line.substring(cellEnd));
            while (named.find()) {
                keys.add("~" + named.group(1).replaceAll(":.*$", "").strip());
            }
            rows.add(keys);
        }
        return rows;
    }

    private static void walk(Class<?> section, String prefix, SortedSet<String> keys, SortedSet<String> sections) {
        Class<?> builder = section.getAnnotation(JsonDeserialize.class).builder();
        for (String key : ConfigLoader.knownKeys(section)) {
            Type type = propertyType(builder, key);
            Class<?> element = element(type);
            String name = prefix + key;
            if (isSection(element)) {
                String path = name + (isList(type) ? "[]" : "");
                sections.add(name);
                walk(element, path + ".", keys, sections);
            } else {
                keys.add(name);
            }
        }
    }

    private static Type propertyType(Class<?> builder, String key) {
        for (Method method : builder.getDeclaredMethods()) {
            JsonProperty property = method.getAnnotation(JsonProperty.class);
            if (property != null && property.value().equals(key) && method.getParameterCount() == 1) {
                return method.getGenericParameterTypes()[0];
            }
        }
        throw new AssertionError("no setter for " + key + " on " + builder);
    }

    private static boolean isList(Type type) {
        return type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class;
    }

    private static Class<?> element(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Type raw = parameterized.getRawType();
            if (raw == List.class || raw == Optional.class) {
                Type argument = parameterized.getActualTypeArguments()[0];
                return argument instanceof Class<?> cls ? cls : Object.class;
            }
            return (Class<?>) raw;
        }
        return type instanceof Class<?> cls ? cls : Object.class;
    }

    private static boolean isSection(Class<?> type) {
        return type.getPackage() == RouteConfig.class.getPackage() && type.isAnnotationPresent(JsonDeserialize.class)
                && type.getAnnotation(JsonDeserialize.class).builder() != Void.class;
    }
}
