package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's error pages.
 *
 * <ul>
 *   <li>{@code templates}: a folder of Mustache templates and text overrides that replace the
 *       built-in pages (default: the built-in pages only);</li>
 *   <li>{@code contact}: the line shown at the bottom of every page, such as who to call
 *       (default: a line asking to quote the incident id);</li>
 *   <li>{@code retryAfter}: the {@code Retry-After} sent with a 503 (default 5s);</li>
 *   <li>{@code operator.trustedNetworks}: client addresses and CIDR ranges that see the operator
 *       view (default none);</li>
 *   <li>{@code operator.token}: a secret that, sent in the {@value #TOKEN_HEADER} header, shows
 *       the operator view from anywhere (default none; at least 16 characters).</li>
 * </ul>
 */
@JsonDeserialize(builder = ErrorPagesConfig.Builder.class)
public final class ErrorPagesConfig {
    /** The request header that carries the operator token. */
    public static final String TOKEN_HEADER = "X-Gatewise-Operator-Token";

    private static final ErrorPagesConfig DEFAULTS = builder().build();

    private final Path templates;
    private final String contact;
    private final Duration retryAfter;
    private final List<String> trustedNetworks;
    private final String token;

    private ErrorPagesConfig(Builder builder) {
        this.templates = builder.templates;
        this.contact = builder.contact;
        this.retryAfter = builder.retryAfter;
        this.trustedNetworks = List.copyOf(builder.operator.trustedNetworks);
        this.token = builder.operator.token;
    }

    /** @return the defaults: built-in pages, no operator access */
    public static ErrorPagesConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the folder of templates that replace the built-in ones, if any */
    public Optional<Path> templates() {
        return Optional.ofNullable(templates);
    }

    /** @return the contact line, if configured */
    public Optional<String> contact() {
        return Optional.ofNullable(contact);
    }

    /** @return the {@code Retry-After} sent with a 503 */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** @return client addresses and ranges that see the operator view */
    public List<String> trustedNetworks() {
        return trustedNetworks;
    }

    /** @return the operator token, if configured */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ErrorPagesConfig)) {
            return false;
        }
        ErrorPagesConfig that = (ErrorPagesConfig) other;
        return Objects.equals(templates, that.templates) && Objects.equals(contact, that.contact)
                && retryAfter.equals(that.retryAfter) && trustedNetworks.equals(that.trustedNetworks)
                && Objects.equals(token, that.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(templates, contact, retryAfter, trustedNetworks, token);
    }

    @Override
    public String toString() {
        return "{templates: " + (templates == null ? "built-in" : templates) + ", trustedNetworks: " + trustedNetworks
                + ", token: " + (token == null ? "none" : "set") + "}";
    }

    /** Who sees the operator view. */
    @JsonDeserialize(builder = Operator.class)
    @JsonPOJOBuilder(withPrefix = "", buildMethodName = "self")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Operator {
        private List<String> trustedNetworks = List.of();
        private String token;

        /** Creates an empty operator section: nobody is trusted. */
        public Operator() {
        }

        /**
         * @param networks client addresses and CIDR ranges, such as {@code 127.0.0.1} or {@code 10.0.0.0/8}
         * @return this section
         */
        @JsonProperty("trustedNetworks")
        public Operator trustedNetworks(List<String> networks) {
            this.trustedNetworks = AddressRanges.check("trustedNetworks", networks, "127.0.0.1/32");
            return this;
        }

        /**
         * @param token a secret of at least 16 characters, sent by operators in {@value #TOKEN_HEADER}
         * @return this section
         */
        @JsonProperty("token")
        public Operator token(String token) {
            if (token == null || token.length() < 16 || !ConfigValues.isPrintableWithoutSpaces(token)) {
                throw ConfigException.invalid("token", "a secret of " + (token == null ? 0 : token.length())
                        + " characters (expected: at least 16 printable characters without spaces)");
            }
            this.token = token;
            return this;
        }

        /** @return this section, for binding */
        public Operator self() {
            return this;
        }
    }

    /** Builds {@link ErrorPagesConfig}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private Path templates;
        private String contact;
        private Duration retryAfter = Duration.ofSeconds(5);
        private Operator operator = new Operator();

        private Builder() {
        }

        /**
         * @param folder a folder of templates and text overrides
         * @return this builder
         * @throws ConfigException if the folder does not exist
         */
        @JsonProperty("templates")
        public Builder templates(String folder) {
            this.templates = ConfigException.requireFolder("templates", folder);
            return this;
        }

        /**
         * @param contact the line shown at the bottom of every page
         * @return this builder
         */
        @JsonProperty("contact")
        public Builder contact(String contact) {
            if (contact == null || contact.isBlank() || contact.length() > 500) {
                throw ConfigException.invalid("contact", "(expected: one line of text, up to 500 characters)");
            }
            this.contact = contact.strip();
            return this;
        }

        /**
         * @param retryAfter the {@code Retry-After} sent with a 503; at least 1s
         * @return this builder
         */
        @JsonProperty("retryAfter")
        public Builder retryAfter(Duration retryAfter) {
            Durations.requirePositive("retryAfter", retryAfter);
            if (retryAfter.toSeconds() < 1) {
                throw ConfigException.invalid("retryAfter", Durations.format(retryAfter) + " (expected: at least 1s)");
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * @param operator who sees the operator view
         * @return this builder
         */
        @JsonProperty("operator")
        public Builder operator(Operator operator) {
            this.operator = ConfigException.requireSection("operator", operator, "{ trustedNetworks: [127.0.0.1] }");
            return this;
        }

        /** @return the error page settings */
        public ErrorPagesConfig build() {
            return new ErrorPagesConfig(this);
        }
    }
}
