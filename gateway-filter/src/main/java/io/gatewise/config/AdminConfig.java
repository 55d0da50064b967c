package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin listener: health probes, metrics, the admin API and the status page, on a port of its
 * own, apart from traffic. Without this section there is no admin listener.
 *
 * @param host the address it binds (default {@link #DEFAULT_HOST}: loopback only)
 * @param port its port (default {@link #DEFAULT_PORT}; 0 picks a free one)
 * @param token what {@code /metrics} and {@code /admin/*} require as
 *     {@code Authorization: Bearer <token>}: 16 to 512 printable characters, given as
 *     {@code token} or read from {@code tokenFile} (a mounted secret), never shown
 * @param recentFailures how many of the latest failures {@code /admin/failures} keeps (default
 *     {@link #DEFAULT_RECENT_FAILURES}; 1 to 10000)
 */
@JsonDeserialize(builder = AdminConfig.Builder.class)
public record AdminConfig(String host, int port, String token, int recentFailures) {
    /** Default {@code host}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default {@code port}. */
    public static final int DEFAULT_PORT = 9901;
    /** Default {@code recentFailures}. */
    public static final int DEFAULT_RECENT_FAILURES = 200;
    private static final int MIN_TOKEN = 16;
    private static final int MAX_TOKEN = 512;

    @Override
    public String toString() {
        return "{host: " + host + ", port: " + port + ", token: (hidden), recentFailures: " + recentFailures + "}";
    }

    /** @return a builder; a token is required */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link AdminConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String token;
        private int recentFailures = DEFAULT_RECENT_FAILURES;

        private Builder() {
        }

        /** Sets {@link AdminConfig#host()}: an address or host name, such as {@code 127.0.0.1}. */
        @JsonProperty("host")
        public Builder host(String host) {
            if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw ConfigException.invalid("host", (host == null ? "missing" : ConfigValues.quote(host))
                        + " (expected: an address such as 127.0.0.1)");
            }
            this.host = host;
            return this;
        }

        /** Sets {@link AdminConfig#port()}: 0 to 65535, 0 picks a free one. */
        @JsonProperty("port")
        public Builder port(int port) {
            this.port = ConfigException.requireRange("port", port, 0, 65535, "; 0 picks a free port");
            return this;
        }

        /** Sets {@link AdminConfig#token()}: 16 to 512 printable characters, no spaces. */
        @JsonProperty("token")
        public Builder token(String token) {
            this.token = checkToken("token", token);
            return this;
        }

        /** Reads {@link AdminConfig#token()} from a file, such as a mounted secret; one final line break is dropped. */
        @JsonProperty("tokenFile")
        public Builder tokenFile(Path file) {
            if (file == null) {
                throw ConfigException.invalid("tokenFile", "missing (expected: the path of a file holding the token)");
            }
            String text;
            try {
                if (Files.size(file) > MAX_TOKEN + 2) {
                    throw ConfigException.invalid("tokenFile", file + " is larger than a token (expected: "
                            + MIN_TOKEN + " to " + MAX_TOKEN + " characters)");
                }
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw ConfigException.invalid("tokenFile", file + " cannot be read (" + e.getClass().getSimpleName()
                        + ")");
            }
            this.token = checkToken("tokenFile", text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            return this;
        }

        /** Sets {@link AdminConfig#recentFailures()}: 1 to 10000. */
        @JsonProperty("recentFailures")
        public Builder recentFailures(int count) {
            this.recentFailures = ConfigException.requireRange("recentFailures", count, 1, 10_000, "");
            return this;
        }

        /**
         * @return the admin settings
         * @throws ConfigException without a token
         */
        public AdminConfig build() {
            if (token == null) {
                throw ConfigException.invalid("token", "missing (expected: token or tokenFile, " + MIN_TOKEN
                        + " or more characters; /metrics and /admin/* require it)");
            }
            return new AdminConfig(host, port, token, recentFailures);
        }

        private static String checkToken(String key, String token) {
            if (token == null || token.length() < MIN_TOKEN || token.length() > MAX_TOKEN
                    || !ConfigValues.isPrintableWithoutSpaces(token)) {
                // The value itself is never shown: it may be a real secret, only one character off.
                throw ConfigException.invalid(key, (token == null ? "missing" : token.length() + " characters")
                        + " (expected: " + MIN_TOKEN + " to " + MAX_TOKEN + " printable characters, no spaces)");
            }
            return token;
        }
    }
}
