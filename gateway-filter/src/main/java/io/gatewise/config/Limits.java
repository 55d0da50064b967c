package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.Objects;

/**
 * What the gateway allows itself towards the upstreams of a route.
 *
 * <ul>
 *   <li>{@code maxConnections}: open connections per upstream (default 256);</li>
 *   <li>{@code maxQueuedRequests}: requests waiting for a connection to one upstream (default
 *       1024); beyond it the gateway answers {@code 503 connection_limit_reached};</li>
 *   <li>{@code maxResponseHeaderSize}: the largest response header section accepted from an
 *       upstream (default 16KB);</li>
 *   <li>{@code maxResponseBodySize}: the largest response body accepted (default: no limit).</li>
 * </ul>
 */
@JsonDeserialize(builder = Limits.Builder.class)
public final class Limits {
    /** Default connections per upstream. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Default largest upstream response header section, in bytes. */
    public static final int DEFAULT_MAX_RESPONSE_HEADER_SIZE = 16 * 1024;

    private static final int MIN_HEADER_SIZE = 1024;
    private static final int MAX_HEADER_SIZE = 1024 * 1024;
    private static final Limits DEFAULTS = builder().build();

    private final int maxConnections;
    private final int maxQueuedRequests;
    private final int maxResponseHeaderSize;
    private final int maxResponseBodySize;

    private Limits(Builder builder) {
        this.maxConnections = builder.maxConnections;
        this.maxQueuedRequests = builder.maxQueuedRequests;
        this.maxResponseHeaderSize = builder.maxResponseHeaderSize;
        this.maxResponseBodySize = builder.maxResponseBodySize;
    }

    /** @return the defaults: 256 connections, 16KB of response headers */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the most connections opened to one upstream */
    public int maxConnections() {
        return maxConnections;
    }

    /** @return the most requests waiting for a connection to one upstream */
    public int maxQueuedRequests() {
        return maxQueuedRequests;
    }

    /** @return the largest response header section accepted from an upstream, in bytes */
    public int maxResponseHeaderSize() {
        return maxResponseHeaderSize;
    }

    /** @return the largest response body accepted from an upstream, in bytes; -1 for no limit */
    public int maxResponseBodySize() {
        return maxResponseBodySize;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Limits && maxConnections == ((Limits) other).maxConnections
                && maxQueuedRequests == ((Limits) other).maxQueuedRequests
                && maxResponseHeaderSize == ((Limits) other).maxResponseHeaderSize
                && maxResponseBodySize == ((Limits) other).maxResponseBodySize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxConnections, maxQueuedRequests, maxResponseHeaderSize, maxResponseBodySize);
    }

    @Override
    public String toString() {
        return "{maxConnections: " + maxConnections + ", maxQueuedRequests: " + maxQueuedRequests
                + ", maxResponseHeaderSize: "
                + DataSizes.format(maxResponseHeaderSize) + ", maxResponseBodySize: "
                + (maxResponseBodySize < 0 ? "none" : DataSizes.format(maxResponseBodySize)) + "}";
    }

    /** Builds {@link Limits}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxQueuedRequests = 1024;
        private int maxResponseHeaderSize = DEFAULT_MAX_RESPONSE_HEADER_SIZE;
        private int maxResponseBodySize = -1;

        private Builder() {
        }

        /**
         * @param maxConnections the most connections opened to one upstream; at least 1
         * @return this builder
         */
        @JsonProperty("maxConnections")
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = ConfigException.requireAtLeast("maxConnections", maxConnections, 1);
            return this;
        }

        /**
         * @param maxQueuedRequests the most requests waiting for a connection to one upstream; at least 1
         * @return this builder
         */
        @JsonProperty("maxQueuedRequests")
        public Builder maxQueuedRequests(int maxQueuedRequests) {
            this.maxQueuedRequests = ConfigException.requireAtLeast("maxQueuedRequests", maxQueuedRequests, 1);
            return this;
        }

        /**
         * @param bytes the largest response header section accepted from an upstream; 1KB to 1MB
         * @return this builder
         */
        @JsonProperty("maxResponseHeaderSize")
        @JsonDeserialize(using = ConfigValues.DataSizeDeserializer.class)
        public Builder maxResponseHeaderSize(int bytes) {
            this.maxResponseHeaderSize = DataSizes.require("maxResponseHeaderSize", bytes, MIN_HEADER_SIZE,
                    MAX_HEADER_SIZE, "from 1KB to 1MB");
            return this;
        }

        /**
         * @param bytes the largest response body accepted from an upstream; at least 1
         * @return this builder
         */
        @JsonProperty("maxResponseBodySize")
        @JsonDeserialize(using = ConfigValues.DataSizeDeserializer.class)
        public Builder maxResponseBodySize(int bytes) {
            this.maxResponseBodySize = DataSizes.require("maxResponseBodySize", bytes, 1, Integer.MAX_VALUE,
                    "a size of at least 1 byte, such as 10MB");
            return this;
        }

        /** @return the limits */
        public Limits build() {
            return new Limits(this);
        }
    }
}
