package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * How a route carries WebSocket: an upgrade request is proxied as a WebSocket, the upstream's
 * handshake first, and each session is bounded in idleness and message size.
 *
 * @param enabled whether an upgrade request on the route is proxied as a WebSocket (default yes);
 *     when off, it is forwarded as a plain request, without its {@code Upgrade}
 * @param idleTimeout how long a session may pass no frame either way before the gateway closes it
 *     with {@code 1001} on both sides (default {@link #DEFAULT_IDLE_TIMEOUT})
 * @param maxMessageSize the largest message either side may send, fragments counted together; a
 *     larger one closes the session with {@code 1009} on both sides (default {@value #DEFAULT_MAX_MESSAGE_SIZE} bytes)
 */
@JsonDeserialize(builder = WebSocketConfig.Builder.class)
public record WebSocketConfig(boolean enabled, Duration idleTimeout, int maxMessageSize) {
    /** Default {@code idleTimeout}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Default {@code maxMessageSize}: 1MB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** The largest {@code maxMessageSize}: 256MB. */
    public static final int MAX_MESSAGE_SIZE = 256 * 1024 * 1024;

    private static final WebSocketConfig DEFAULTS = builder().build();

    /** @return the defaults: enabled, 5m idle, 1MB messages */
    public static WebSocketConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{enabled: " + enabled + ", idleTimeout: " + Durations.format(idleTimeout) + ", maxMessageSize: "
                + DataSizes.format(maxMessageSize) + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WebSocketConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private boolean enabled = true;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

        private Builder() {
        }

        /** Sets {@link WebSocketConfig#enabled()}. */
        @JsonProperty("enabled")
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Sets {@link WebSocketConfig#idleTimeout()}: from 1s to 24h. */
        @JsonProperty("idleTimeout")
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Durations.requireBetween("idleTimeout", idleTimeout, Duration.ofSeconds(1));
            return this;
        }

        /** Sets {@link WebSocketConfig#maxMessageSize()}: from 1KB to 256MB. */
        @JsonProperty("maxMessageSize")
        @JsonDeserialize(using = ConfigValues.DataSizeDeserializer.class)
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = DataSizes.require("maxMessageSize", bytes, 1024, MAX_MESSAGE_SIZE,
                    "from 1KB to 256MB");
            return this;
        }

        /** @return the settings */
        public WebSocketConfig build() {
            return new WebSocketConfig(enabled, idleTimeout, maxMessageSize);
        }
    }
}
