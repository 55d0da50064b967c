package io.gatewise.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a gateway's configuration comes from, so it can be read again: a file, or a text such as
 * a web application's {@code /WEB-INF/} resource. A reload reads it through here; only a file
 * can be watched for changes.
 */
public final class ConfigSource {
    private static final int DIGEST_HEX_CHARS = 12;

    private final String name;
    private final Path file;
    private final Supplier<String> text;

    /**
     * What one read found.
     *
     * @param config the configuration, checked
     * @param digest the first 12 hex digits of the SHA-256 of the text: equal texts, equal digests
     */
    public record Loaded(GatewayConfig config, String digest) {
    }

    private ConfigSource(String name, Path file, Supplier<String> text) {
        this.name = name;
        this.file = file;
        this.text = text;
    }

    /**
     * @param file a YAML config file
     * @return the source that reads it
     */
    public static ConfigSource file(Path file) {
        Objects.requireNonNull(file, "file");
        return new ConfigSource(file.toString(), file, () -> ConfigLoader.read(file));
    }

    /**
     * @param name the name messages give it, such as {@code /WEB-INF/gatewise.yaml}
     * @param text reads the YAML text; throws a {@link ConfigException} naming the source if it cannot
     * @return the source that reads it
     */
    public static ConfigSource text(String name, Supplier<String> text) {
        return new ConfigSource(Objects.requireNonNull(name, "name"), null, Objects.requireNonNull(text, "text"));
    }

    /**
     * Reads and checks the configuration, as {@link ConfigLoader} does.
     *
     * @return the configuration and the digest of its text
     * @throws ConfigException located in the source, if it cannot be read or holds a configuration
     *     the gateway cannot run with
     */
    public Loaded load() {
        String yaml = text.get();
        return new Loaded(ConfigLoader.parse(yaml, name), digest(yaml));
    }

    /** @return the digest of the text it holds now; empty if it cannot be read */
    public Optional<String> digestNow() {
        try {
            return Optional.of(digest(text.get()));
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    /** @return its name in messages: the file as given, or the resource's name */
    public String name() {
        return name;
    }

    /** @return the file it reads; empty for a text that is not a file of its own */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * @param text a config text
     * @return the first 12 hex digits of the SHA-256 of its UTF-8 bytes
     */
    public static String digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param bytes a config file's bytes
     * @return the first 12 hex digits of their SHA-256
     */
    public static String digest(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(hash).substring(0, DIGEST_HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
