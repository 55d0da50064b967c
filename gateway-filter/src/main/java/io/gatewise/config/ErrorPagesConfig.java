package io.gatewise.config;

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
 * @param templates a folder of Mustache templates and text overrides that replace the built-in
 *     pages (default none: the built-in pages only)
 * @param contact the line shown at the bottom of every page, such as who to call (default none: a
 *     line asking to quote the incident id)
 * @param retryAfter the {@code Retry-After} sent with a 503 (default {@link #DEFAULT_RETRY_AFTER})
 * @param trustedNetworks {@code operator.trustedNetworks}: client addresses and CIDR ranges that
 *     see the operator view (default none)
 * @param token {@code operator.token}: a secret that, sent in the {@value #TOKEN_HEADER} header,
 *     shows the operator view from anywhere (default none; at least 16 characters)
 * @param dispatch who writes the body of an error answer: {@code gateway} or {@code container}, see
 *     {@link Dispatch} (default {@link #DEFAULT_DISPATCH})
 */
@JsonDeserialize(builder = ErrorPagesConfig.Builder.class)
public record ErrorPagesConfig(Optional<Path> templates, Optional<String> contact, Duration retryAfter,
        List<String> trustedNetworks, Optional<String> token, Dispatch dispatch) {
    /** The request header that carries the operator token. */
    public static final String TOKEN_HEADER = "X-Gatewise-Operator-Token";
    /** Default {@code retryAfter}. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    /** Default {@code dispatch}. */
    public static final Dispatch DEFAULT_DISPATCH = Dispatch.GATEWAY;

    private static final ErrorPagesConfig DEFAULTS = builder().build();

    /** Copies the list; the values are checked by the {@link Builder}, which is how to make one. */
    public ErrorPagesConfig {
        trustedNetworks = List.copyOf(trustedNetworks);
    }

    /** @return the defaults: built-in pages, no operator access */
    public static ErrorPagesConfig defaults() {
        return DEFAULTS;
    }

    /** Says whether a token is set, never the token itself: this text can end up in logs. */
    @Override
    public String toString() {
        return "{templates: " + templates.map(Object::toString).orElse("built-in") + ", trustedNetworks: "
                + trustedNetworks + ", token: " + (token.isEmpty() ? "none" : "set") + ", dispatch: "
                + dispatch.token() + "}";
    }

    /** Who writes the body of an error answer, the {@code dispatch} key. */
    public enum Dispatch {
        /** {@code gateway}: the gateway writes its own error answer, for every method, on every container. */
        GATEWAY,
        /**
         * {@code container}: the gateway sets the status and the request attributes, and the
         * container's error dispatch (a web.xml {@code <error-page>}) renders the body.
         */
        CONTAINER;

        /** @return its name in the config file */
        public String token() {
            return ConfigValues.token(this);
        }
    }

    /** Who sees the operator view. */
    @JsonDeserialize(builder = Operator.class)
    @JsonPOJOBuilder(withPrefix = "", buildMethodName = "self")
    public static final class Operator {
        private List<String> trustedNetworks = List.of();
        private String token;

        /** Creates an empty operator section: nobody is trusted. */
        public Operator() {
        }

        /**
         * Sets {@link ErrorPagesConfig#trustedNetworks()}, such as {@code 127.0.0.1} or
         * {@code 10.0.0.0/8}, written as {@link ServerConfig.Builder#prohibitedAddresses} are.
         */
        @JsonProperty("trustedNetworks")
        public Operator trustedNetworks(List<String> networks) {
            this.trustedNetworks = AddressRanges.check("trustedNetworks", networks, "127.0.0.1/32");
            return this;
        }

        /** Sets {@link ErrorPagesConfig#token()}: at least 16 printable characters without spaces. */
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

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ErrorPagesConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private Path templates;
        private String contact;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private Operator operator = new Operator();
        private Dispatch dispatch = DEFAULT_DISPATCH;

        private Builder() {
        }

        /**
         * Sets {@link ErrorPagesConfig#templates()}.
         *
         * @param folder a folder of templates and text overrides
         * @return this builder
         * @throws ConfigException if the folder is empty or does not exist
         */
        @JsonProperty("templates")
        public Builder templates(String folder) {
            this.templates = ConfigException.requireFolder("templates", folder);
            return this;
        }

        /** Sets {@link ErrorPagesConfig#contact()}: one line of text, up to 500 characters. */
        @JsonProperty("contact")
        public Builder contact(String contact) {
            if (contact == null || contact.isBlank() || contact.length() > 500) {
                throw ConfigException.invalid("contact", "(expected: one line of text, up to 500 characters)");
            }
            this.contact = contact.strip();
            return this;
        }

        /** Sets {@link ErrorPagesConfig#retryAfter()}: from 1s to 24h. */
        @JsonProperty("retryAfter")
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = Durations.requireBetween("retryAfter", retryAfter, Duration.ofSeconds(1));
            return this;
        }

        /** Sets who sees the operator view. */
        @JsonProperty("operator")
        public Builder operator(Operator operator) {
            this.operator = ConfigException.requireSection("operator", operator, "{ trustedNetworks: [127.0.0.1] }");
            return this;
        }

        /** Sets {@link ErrorPagesConfig#dispatch()} by its name, {@code gateway} or {@code container}, in any case. */
        @JsonProperty("dispatch")
        public Builder dispatch(String dispatch) {
            this.dispatch = ConfigValues.parseToken("dispatch", dispatch, Dispatch.values());
            return this;
        }

        /** Sets {@link ErrorPagesConfig#dispatch()}. */
        public Builder dispatch(Dispatch dispatch) {
            this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
            return this;
        }

        /** @return the error page settings */
        public ErrorPagesConfig build() {
            return new ErrorPagesConfig(Optional.ofNullable(templates), Optional.ofNullable(contact), retryAfter,
                    operator.trustedNetworks, Optional.ofNullable(operator.token), dispatch);
        }
    }
}
