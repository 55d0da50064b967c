package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * How long the gateway waits for an upstream, per route.
 *
 * <ul>
 *   <li>{@code resolve}: for the upstream's name to resolve (default 5s);</li>
 *   <li>{@code connect}: to open a connection (default 5s);</li>
 *   <li>{@code response}: for the whole exchange, from sending the request to the last byte of
 *       the response (default 60s);</li>
 *   <li>{@code idle}: for the next byte while nothing moves on the connection (default 30s).</li>
 * </ul>
 */
@JsonDeserialize(builder = Timeouts.Builder.class)
public final class Timeouts {
    /** Default resolve timeout. */
    public static final Duration DEFAULT_RESOLVE = Duration.ofSeconds(5);
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(5);
    /** Default total response timeout. */
    public static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(60);
    /** Default idle timeout. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);

    private static final Timeouts DEFAULTS = builder().build();

    private final Duration resolve;
    private final Duration connect;
    private final Duration response;
    private final Duration idle;

    private Timeouts(Builder builder) {
        this.resolve = builder.resolve;
        this.connect = builder.connect;
        this.response = builder.response;
        this.idle = builder.idle;
    }

    /** @return the defaults: resolve 5s, connect 5s, response 60s, idle 30s */
    public static Timeouts defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how long to wait for the upstream's name to resolve */
    public Duration resolve() {
        return resolve;
    }

    /** @return how long to wait for a connection to the upstream */
    public Duration connect() {
        return connect;
    }

    /** @return how long the whole upstream exchange may take */
    public Duration response() {
        return response;
    }

    /** @return how long the upstream connection may stay silent mid-exchange */
    public Duration idle() {
        return idle;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Timeouts && resolve.equals(((Timeouts) other).resolve)
                && connect.equals(((Timeouts) other).connect)
                && response.equals(((Timeouts) other).response) && idle.equals(((Timeouts) other).idle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resolve, connect, response, idle);
    }

    @Override
    public String toString() {
        return "{resolve: " + Durations.format(resolve) + ", connect: " + Durations.format(connect) + ", response: " + Durations.format(response)
                + ", idle: " + Durations.format(idle) + "}";
    }

    /** Builds {@link Timeouts}; every value must be positive. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private Duration resolve = DEFAULT_RESOLVE;
        private Duration connect = DEFAULT_CONNECT;
        private Duration response = DEFAULT_RESPONSE;
        private Duration idle = DEFAULT_IDLE;

        private Builder() {
        }

        /**
         * @param resolve how long to wait for the upstream's name to resolve; positive
         * @return this builder
         */
        @JsonProperty("resolve")
        public Builder resolve(Duration resolve) {
            this.resolve = Durations.requirePositive("resolve", resolve);
            return this;
        }

        /**
         * @param connect how long to wait for a connection to the upstream; positive
         * @return this builder
         */
        @JsonProperty("connect")
        public Builder connect(Duration connect) {
            this.connect = Durations.requirePositive("connect", connect);
            return this;
        }

        /**
         * @param response how long the whole upstream exchange may take; positive
         * @return this builder
         */
        @JsonProperty("response")
        public Builder response(Duration response) {
            this.response = Durations.requirePositive("response", response);
            return this;
        }

        /**
         * @param idle how long the upstream connection may stay silent mid-exchange; positive
         * @return this builder
         */
        @JsonProperty("idle")
        public Builder idle(Duration idle) {
            this.idle = Durations.requirePositive("idle", idle);
            return this;
        }

        /** @return the timeouts */
        public Timeouts build() {
            return new Timeouts(this);
        }
    }
}
