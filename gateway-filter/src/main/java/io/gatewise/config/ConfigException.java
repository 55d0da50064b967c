package io.gatewise.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration value or combination of values that the gateway cannot run with.
 *
 * <p>The message always names the key and says what was expected, in the shape
 * {@code key: problem (expected: ...)}; when the value came from a file, the message starts with
 * {@code file:line:column: }.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String key;
    private final String problem;

    private ConfigException(String source, int line, int column, String key, String problem, Throwable cause) {
        super(format(source, line, column, key, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.key = key;
        this.problem = problem;
    }

    /**
     * @param key the key
     * @param value the section, null when the file gives the key no value
     * @param example a short example of the section, such as {@code "{ ttl: 30s }"}
     * @return the section
     * @throws ConfigException if it is null
     */
    static <T> T requireSection(String key, T value, String example) {
        if (value == null) {
            throw invalid(key, "empty (expected: a mapping such as " + example + ")");
        }
        return value;
    }

    /**
     * @param key the key
     * @param value the value
     * @param min the least allowed
     * @param max the most allowed
     * @param note what a boundary value means, such as {@code "; 0 turns ejection off"}, or empty
     * @return the value
     * @throws ConfigException if the value is out of range
     */
    static int requireRange(String key, int value, int min, int max, String note) {
        if (value < min || value > max) {
            throw invalid(key, value + " (expected: " + min + " to " + max + note + ")");
        }
        return value;
    }

    /**
     * @param key the key
     * @param value the value
     * @param min the least allowed
     * @return the value
     * @throws ConfigException if the value is below {@code min}
     */
    static int requireAtLeast(String key, int value, int min) {
        if (value < min) {
            throw invalid(key, value + " (expected: >= " + min + ")");
        }
        return value;
    }

    /**
     * @param key the list's key, such as {@code interceptStatuses}
     * @param statuses the list as written
     * @param min the least status allowed
     * @param max the most allowed
     * @param what what each entry is, for the message, such as {@code "a status"}
     * @param example an example list, such as {@code "[502, 503]"}
     * @return the statuses, as an immutable set
     * @throws ConfigException naming the entry that is missing or out of range
     */
    static Set<Integer> requireStatuses(String key, List<Integer> statuses, int min, int max, String what,
            String example) {
        if (statuses == null) {
            throw invalid(key, "empty (expected: a list such as " + example + ")");
        }
        for (int i = 0; i < statuses.size(); i++) {
            Integer status = statuses.get(i);
            if (status == null || status < min || status > max) {
                throw invalid(key + "[" + i + "]", status + " (expected: " + what + " from " + min + " to " + max
                        + ")");
            }
        }
        return Set.copyOf(statuses);
    }

    /**
     * @param key the key, such as {@code templates}
     * @param folder the folder as written
     * @return its path
     * @throws ConfigException if it is empty or not an existing folder
     */
    static Path requireFolder(String key, String folder) {
        if (folder == null || folder.isBlank()) {
            throw invalid(key, "empty (expected: a folder of error page templates)");
        }
        Path path;
        try {
            path = Path.of(folder);
        } catch (InvalidPathException e) {
            path = null;
        }
        if (path == null || !Files.isDirectory(path)) {
            throw invalid(key, ConfigValues.quote(folder)
                    + " is not a folder (expected: a folder of error page templates)");
        }
        return path;
    }

    /**
     * A value that is wrong on its own.
     *
     * @param key the key, relative to the object being built (for example {@code connect})
     * @param problem what is wrong and what was expected
     * @return the exception, to throw
     */
    public static ConfigException invalid(String key, String problem) {
        return new ConfigException(null, 0, 0, key, problem, null);
    }

    /**
     * The same problem, placed in a file.
     *
     * @param source the file name as the user gave it
     * @param line the 1-based line, or 0 when unknown
     * @param column the 1-based column, or 0 when unknown
     * @param key the full key path, such as {@code routes[0].timeouts.connect}
     * @param problem what is wrong and what was expected
     * @param cause the underlying parser or binding exception, or null
     * @return the exception, to throw
     */
    public static ConfigException located(String source, int line, int column, String key, String problem,
            Throwable cause) {
        return new ConfigException(source, line, column, key, problem, cause);
    }

    /** @return the file the value came from, when it came from one */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** @return the 1-based line in {@link #source()}, or 0 when unknown */
    public int line() {
        return line;
    }

    /** @return the 1-based column in {@link #source()}, or 0 when unknown */
    public int column() {
        return column;
    }

    /** @return the key path, such as {@code routes[0].timeouts.connect}; empty for the whole file */
    public String key() {
        return key;
    }

    /** @return what is wrong and what was expected, without the place */
    public String problem() {
        return problem;
    }

    private static String format(String source, int line, int column, String key, String problem) {
        StringBuilder message = new StringBuilder();
        if (source != null) {
            message.append(source);
            if (line > 0) {
                message.append(':').append(line).append(':').append(column);
            }
            message.append(": ");
        }
        if (key != null && !key.isEmpty()) {
            message.append(key.length() <= 2 * ConfigValues.SHOWN ? key : key.substring(0, ConfigValues.SHOWN) + "… ("
                    + key.length() + " characters)").append(": ");
        }
        return message.append(problem).toString();
    }
}
