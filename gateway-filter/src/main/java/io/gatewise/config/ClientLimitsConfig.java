package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * What clients may hold of the standalone server's traffic listener ({@code gateway.limits}), so
 * slow or greedy clients cannot hold the door: a container that runs the WAR sets its own.
 *
 * @param requestHeadTimeout how long a request head (request line and header fields) may take to
 *     arrive once its first byte has, however the bytes trickle in; past it the client gets
 *     {@code 408} and the connection is closed (default {@link #DEFAULT_REQUEST_HEAD_TIMEOUT})
 * @param maxConnections the most connections the listener holds open; beyond it new connections
 *     wait in the operating system's backlog until one closes (default {@link #DEFAULT_MAX_CONNECTIONS})
 * @param maxConnectionsPerClient the most connections one client address may hold open; one more
 *     is closed at once (default {@link #DEFAULT_MAX_CONNECTIONS_PER_CLIENT}, or {@code maxConnections}
 *     if that is lower; a value above {@code maxConnections} leaves only the total to apply)
 */
@JsonDeserialize(builder = ClientLimitsConfig.Builder.class)
public record ClientLimitsConfig(Duration requestHeadTimeout, int maxConnections, int maxConnectionsPerClient) {
    /** Default {@code requestHeadTimeout}. */
    public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default {@code maxConnectionsPerClient}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;
    /** The most {@code maxConnections} may be: beyond it a file-descriptor limit bites first. */
    public static final int MAX_CONNECTIONS = 1_000_000;

    private static final Duration MIN_REQUEST_HEAD_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MAX_REQUEST_HEAD_TIMEOUT = Duration.ofMinutes(10);
    private static final ClientLimitsConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static ClientLimitsConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{requestHeadTimeout: " + Durations.format(requestHeadTimeout) + ", maxConnections: " + maxConnections
                + ", maxConnectionsPerClient: " + maxConnectionsPerClient + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ClientLimitsConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private Duration requestHeadTimeout = DEFAULT_REQUEST_HEAD_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Integer maxConnectionsPerClient;

        private Builder() {
        }

        /** Sets {@link ClientLimitsConfig#requestHeadTimeout()}: 100ms to 10m. */
        @JsonProperty("requestHeadTimeout")
        public Builder requestHeadTimeout(Duration timeout) {
            this.requestHeadTimeout = Durations.requireBetween("requestHeadTimeout", timeout, MIN_REQUEST_HEAD_TIMEOUT,
                    MAX_REQUEST_HEAD_TIMEOUT, "");
            return this;
        }

        /** Sets {@link ClientLimitsConfig#maxConnections()}: 1 to 1000000. */
        @JsonProperty("maxConnections")
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = ConfigException.requireRange("maxConnections", maxConnections, 1, MAX_CONNECTIONS, "");
            return this;
        }

        /** Sets {@link ClientLimitsConfig#maxConnectionsPerClient()}: 1 to {@code maxConnections}. */
        @JsonProperty("maxConnectionsPerClient")
        public Builder maxConnectionsPerClient(int maxConnectionsPerClient) {
            this.maxConnectionsPerClient = ConfigException.requireRange("maxConnectionsPerClient",
                    maxConnectionsPerClient, 1, MAX_CONNECTIONS, "");
            return this;
        }

        /** @return the limits */
        public ClientLimitsConfig build() {
            return new ClientLimitsConfig(requestHeadTimeout, maxConnections, maxConnectionsPerClient != null
                    ? maxConnectionsPerClient : Math.min(DEFAULT_MAX_CONNECTIONS_PER_CLIENT, maxConnections));
        }
    }
}
