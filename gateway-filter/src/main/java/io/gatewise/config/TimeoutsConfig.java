package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * How long the gateway waits for an upstream, per route.
 *
 * @param resolve how long to wait for the upstream's name to resolve (default {@link #DEFAULT_RESOLVE})
 * @param connect how long to wait for a connection to the upstream (default {@link #DEFAULT_CONNECT})
 * @param response how long the whole exchange may take, from sending the request to the last byte
 *     of the response (default {@link #DEFAULT_RESPONSE})
 * @param idle how long to wait for the next byte while nothing moves on the connection (default
 *     {@link #DEFAULT_IDLE})
 */
@JsonDeserialize(builder = TimeoutsConfig.Builder.class)
public record TimeoutsConfig(Duration resolve, Duration connect, Duration response, Duration idle) {
    /** Default {@code resolve}. */
    public static final Duration DEFAULT_RESOLVE = Duration.ofSeconds(5);
    /** Default {@code connect}. */
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(5);
    /** Default {@code response}. */
    public static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(60);
    /** Default {@code idle}. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);

    private static final TimeoutsConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static TimeoutsConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{resolve: " + Durations.format(resolve) + ", connect: " + Durations.format(connect) + ", response: "
                + Durations.format(response) + ", idle: " + Durations.format(idle) + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TimeoutsConfig}; every value from 1ms to 24h. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private Duration resolve = DEFAULT_RESOLVE;
        private Duration connect = DEFAULT_CONNECT;
        private Duration response = DEFAULT_RESPONSE;
        private Duration idle = DEFAULT_IDLE;

        private Builder() {
        }

        /** Sets {@link TimeoutsConfig#resolve()}. */
        @JsonProperty("resolve")
        public Builder resolve(Duration resolve) {
            this.resolve = Durations.requirePositive("resolve", resolve);
            return this;
        }

        /** Sets {@link TimeoutsConfig#connect()}. */
        @JsonProperty("connect")
        public Builder connect(Duration connect) {
            this.connect = Durations.requirePositive("connect", connect);
            return this;
        }

        /** Sets {@link TimeoutsConfig#response()}. */
        @JsonProperty("response")
        public Builder response(Duration response) {
            this.response = Durations.requirePositive("response", response);
            return this;
        }

        /** Sets {@link TimeoutsConfig#idle()}. */
        @JsonProperty("idle")
        public Builder idle(Duration idle) {
            this.idle = Durations.requirePositive("idle", idle);
            return this;
        }

        /** @return the timeouts */
        public TimeoutsConfig build() {
            return new TimeoutsConfig(resolve, connect, response, idle);
        }
    }
}
