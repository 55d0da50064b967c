package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML config file into a {@link GatewayConfig}.
 *
 * <p>Binding goes through the same builders that code uses, so every check applies to both.
 * Any problem ends in one {@link ConfigException} whose message names the file, line, column and
 * key, and says what was expected, for example:
 * {@code gateway.yaml:7:29: routes[0].timeouts.connect: -2s is not positive (expected: ...)}.
 */
public final class ConfigLoader {
    /**
     * The most characters a config may have: room for ten thousand routes with several settings
     * each, little enough to read in seconds (the reader is linear, given {@link #MAX_LINE}).
     */
    public static final int MAX_CHARS = 4 * 1024 * 1024;
    /** The most characters on one line: the YAML reader slows down with the square of a line's length. */
    public static final int MAX_LINE = 16 * 1024;
    /** The deepest nesting of mappings and lists: a real config needs six levels. */
    public static final int MAX_DEPTH = 64;

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_CHARS)
                    .maxDocumentLength(MAX_CHARS)
                    .build())
            .build();
    private static final ObjectMapper MAPPER = YAMLMapper.builder(YAML)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addModule(ConfigValues.module())
            // Only what a builder marks @JsonProperty is a key: adders and typed overloads are for code.
            .visibility(PropertyAccessor.SETTER, Visibility.NONE)
            .visibility(PropertyAccessor.GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.NONE)
            .build();

    private ConfigLoader() {
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CHARS);
        options.setNestingDepthLimit(MAX_DEPTH);
        // Aliases are not expanded by the binder (it reads an alias as its anchor's name); this is a backstop.
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    /**
     * Reads and checks a config file.
     *
     * @param file the YAML file
     * @return the configuration
     * @throws ConfigException if the file cannot be read or holds a configuration the gateway
     *     cannot run with
     */
    public static GatewayConfig load(Path file) {
        return parse(read(file), file.toString());
    }

    /**
     * Reads a config file's text, refusing one far too large to be a config.
     *
     * @param file the YAML file
     * @return its text
     * @throws ConfigException naming the file, if it is missing, unreadable or far too large
     */
    public static String read(Path file) {
        String yaml;
        try {
            long bytes = Files.size(file);
            if (bytes > 4L * MAX_CHARS) {
                throw tooLarge(file.toString(), bytes + " bytes");
            }
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ConfigException.located(file.toString(), 0, 0, "", "no such file (expected: a YAML config"
                    + " file; see docs/configuration.md for its shape)", e);
        } catch (IOException e) {
            throw ConfigException.located(file.toString(), 0, 0, "", "cannot be read: " + e, e);
        }
        return yaml;
    }

    /**
     * @param section a config record, such as {@code RouteConfig.class}
     * @return the keys its section accepts, sorted: the one list that an unknown key's message
     *     ({@code unknown key (expected one of: ...)}) and the docs refer to
     */
    public static SortedSet<String> knownKeys(Class<?> section) {
        JsonDeserialize deserialize = section.getAnnotation(JsonDeserialize.class);
        Class<?> builder = deserialize == null ? section : deserialize.builder();
        SortedSet<String> keys = new TreeSet<>();
        for (Method method : builder.getDeclaredMethods()) {
            JsonProperty key = method.getAnnotation(JsonProperty.class);
            if (key != null) {
                keys.add(key.value());
            }
        }
        return Collections.unmodifiableSortedSet(keys);
    }

    /**
     * Reads and checks a configuration given as text.
     *
     * @param yaml the YAML text
     * @param source the name to use for it in messages, such as the file name
     * @return the configuration
     * @throws ConfigException if the text holds a configuration the gateway cannot run with
     */
    public static GatewayConfig parse(String yaml, String source) {
        checkSize(yaml, source);
        GatewayConfig config;
        try {
            config = MAPPER.readValue(yaml, GatewayConfig.class);
        } catch (JsonMappingException e) {
            throw translate(e, yaml, source);
        } catch (JacksonException e) {
            throw syntaxError(e, source);
        }
        if (config == null) {
            throw emptyFile(source);
        }
        return config;
    }

    /** Refuses, in one linear pass and before parsing, text that the YAML reader would take too long over. */
    private static void checkSize(String yaml, String source) {
        if (yaml.length() > MAX_CHARS) {
            throw tooLarge(source, yaml.length() + " characters");
        }
        int line = 1;
        int start = 0;
        for (int i = 0; i <= yaml.length(); i++) {
            char c = i == yaml.length() ? '\n' : yaml.charAt(i);
            if (c != '\n' && c != '\r') {
                continue;
            }
            if (i - start > MAX_LINE) {
                throw ConfigException.located(source, line, MAX_LINE + 1, "", "line " + line + " has " + (i - start)
                        + " characters (expected: at most " + MAX_LINE + " characters a line)", null);
            }
            if (c == '\r' && i + 1 < yaml.length() && yaml.charAt(i + 1) == '\n') {
                i++;
            }
            line++;
            start = i + 1;
        }
    }

    private static ConfigException tooLarge(String source, String size) {
        return ConfigException.located(source, 0, 0, "", "the file has " + size + " (expected: a config of at most "
                + MAX_CHARS + " characters)", null);
    }

    private static ConfigException emptyFile(String source) {
        return ConfigException.located(source, 0, 0, "", "the file is empty (expected: a gateway section and a"
                + " list of routes)", null);
    }

    private static ConfigException translate(JsonMappingException e, String yaml, String source) {
        StreamReadException unreadable = streamCause(e);
        if (unreadable != null) {
            return syntaxError(unreadable, source);
        }
        String path = dotted(e.getPath());
        ConfigException cause = configCause(e);
        String key;
        String problem;
        JsonLocation location = e.getLocation();
        if (e instanceof MismatchedInputException && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("No content to map")) {
            return emptyFile(source);
        }
        StreamConstraintsException tooLarge = constraintCause(e);
        if (tooLarge != null) {
            JsonLocation found = KeyLocations.index(YAML, yaml).find(pointer(path));
            return locate(source, found != null ? found : location, path, tooLargeProblem(tooLarge), e);
        }
        if (e instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException unknown = (UnrecognizedPropertyException) e;
            key = path;
            JsonLocation found = KeyLocations.index(YAML, yaml).findKey(pointer(key));
            location = found != null ? found : location;
            problem = "unknown key (expected one of: " + new TreeSet<>(unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).collect(Collectors.toList())).stream()
                    .collect(Collectors.joining(", ")) + ")";
        } else if (cause != null) {
            key = join(path, cause.key());
            problem = cause.problem();
            JsonLocation found = KeyLocations.index(YAML, yaml).find(pointer(key));
            location = found != null ? found : location;
        } else if (e instanceof InvalidFormatException && isOurs((InvalidFormatException) e)) {
            key = path;
            problem = e.getOriginalMessage();
        } else if (e instanceof MismatchedInputException) {
            key = path;
            problem = KeyLocations.index(YAML, yaml).describe(pointer(path)) + " (expected: " + describe(((MismatchedInputException) e).getTargetType(),
                    e) + ")";
        } else {
            key = path;
            problem = e.getOriginalMessage();
        }
        return locate(source, location, key, problem, e);
    }

    private static boolean isOurs(InvalidFormatException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().contains("(expected: ");
    }

    private static ConfigException syntaxError(JacksonException e, String source) {
        String key = "";
        JsonLocation location = e.getLocation();
        String message = e.getOriginalMessage();
        boolean duplicate = message != null && message.startsWith("Duplicate field");
        if (e.getProcessor() instanceof JsonParser) {
            JsonParser parser = (JsonParser) e.getProcessor();
            key = dottedPointer(parser.getParsingContext().pathAsPointer().toString());
            if (duplicate) {
                location = parser.currentTokenLocation();
                key = join(key, parser.getParsingContext().getCurrentName());
            } else if (location == null || location.getLineNr() <= 0) {
                location = parser.currentLocation();
            }
        }
        String problem = duplicate ? "duplicate key (expected: each key once per mapping)"
                : e instanceof StreamConstraintsException ? tooLargeProblem(e)
                : "not valid YAML: " + firstLine(message);
        if (e.getCause() instanceof MarkedYAMLException) {
            MarkedYAMLException yamlError = (MarkedYAMLException) e.getCause();
            Mark mark = yamlError.getProblemMark();
            problem = "not valid YAML: " + yamlError.getProblem();
            if (mark != null) {
                return ConfigException.located(source, mark.getLine() + 1, mark.getColumn() + 1, "", problem, e);
            }
        }
        return locate(source, location, key, problem, e);
    }

    private static ConfigException locate(String source, JsonLocation location, String key, String problem,
            Throwable cause) {
        int line = location == null ? 0 : Math.max(0, location.getLineNr());
        int column = location == null ? 0 : Math.max(0, location.getColumnNr());
        return ConfigException.located(source, line, column, key, problem, cause);
    }

    private static StreamReadException streamCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException) {
                return (StreamReadException) t;
            }
        }
        return null;
    }

    private static String tooLargeProblem(JacksonException e) {
        return "too long or too deeply nested: " + firstLine(e.getOriginalMessage()) + " (expected: at most "
                + MAX_DEPTH + " levels of nesting, numbers of at most 1000 digits)";
    }

    private static StreamConstraintsException constraintCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException) {
                return (StreamConstraintsException) t;
            }
        }
        return null;
    }

    private static ConfigException configCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return (ConfigException) t;
            }
        }
        return null;
    }

    private static String describe(Class<?> type, JsonMappingException e) {
        if (type == null && e instanceof InvalidFormatException) {
            type = ((InvalidFormatException) e).getTargetType();
        }
        if (type == null) {
            return "a value of another kind";
        }
        if (type == int.class || type == Integer.class || type == long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping";
    }

    private static String dotted(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
        }
        return path.toString();
    }

    private static String dottedPointer(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.chars().allMatch(Character::isDigit)) {
                path.append('[').append(segment).append(']');
            } else {
                path.append(path.length() > 0 ? "." : "").append(segment);
            }
        }
        return path.toString();
    }

    private static String pointer(String dotted) {
        String slashed = dotted.replace("[", ".").replace("]", "").replace('.', '/');
        return dotted.isEmpty() ? "" : "/" + (slashed.startsWith("/") ? slashed.substring(1) : slashed);
    }

    private static String join(String path, String key) {
        if (key == null || key.isEmpty() || path.equals(key) || path.endsWith("." + key)) {
            return path;
        }
        // A setter names its own key ("prohibitedAddresses[0]", "headers.x-api-key") where Jackson's
        // path already ends in it.
        String last = path.substring(path.lastIndexOf('.') + 1);
        if (!last.isEmpty() && (key.startsWith(last + "[") || key.startsWith(last + "."))) {
            return path.substring(0, path.length() - last.length()) + key;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
