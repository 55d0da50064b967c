package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;

/**
 * What the gateway allows itself towards the upstreams of a route.
 *
 * @param maxConnections the most connections opened to one upstream (default
 *     {@value #DEFAULT_MAX_CONNECTIONS})
 * @param maxQueuedRequests the most requests waiting for a connection to one upstream (default
 *     {@value #DEFAULT_MAX_QUEUED_REQUESTS}); beyond it the gateway answers
 *     {@code 503 connection_limit_reached}
 * @param maxResponseHeaderSize the largest response header section accepted from an upstream, in
 *     bytes (default {@value #DEFAULT_MAX_RESPONSE_HEADER_SIZE})
 * @param maxResponseBodySize the largest response body accepted from an upstream, in bytes (default
 *     {@value #NO_LIMIT}: no limit)
 */
@JsonDeserialize(builder = LimitsConfig.Builder.class)
public record LimitsConfig(int maxConnections, int maxQueuedRequests, int maxResponseHeaderSize, int maxResponseBodySize) {
    /** Default {@code maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Default {@code maxQueuedRequests}. */
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 1024;
    /** Default {@code maxResponseHeaderSize}, in bytes. */
    public static final int DEFAULT_MAX_RESPONSE_HEADER_SIZE = 16 * 1024;
    /** The most {@code maxConnections}: beyond it one upstream address runs out of local ports first. */
    public static final int MAX_CONNECTIONS = 10_000;
    /**
     * The most {@code maxQueuedRequests}: Jetty's client allocates each upstream's queue whole, up
     * front, so a number merely declared costs memory for every upstream.
     */
    public static final int MAX_QUEUED_REQUESTS = 10_000;
    /** {@code maxResponseBodySize} when there is no limit, the default. */
    public static final int NO_LIMIT = -1;

    private static final int MIN_HEADER_SIZE = 1024;
    private static final int MAX_HEADER_SIZE = 1024 * 1024;
    private static final LimitsConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static LimitsConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{maxConnections: " + maxConnections + ", maxQueuedRequests: " + maxQueuedRequests
                + ", maxResponseHeaderSize: " + DataSizes.format(maxResponseHeaderSize) + ", maxResponseBodySize: "
                + (maxResponseBodySize == NO_LIMIT ? "none" : DataSizes.format(maxResponseBodySize)) + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link LimitsConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxQueuedRequests = DEFAULT_MAX_QUEUED_REQUESTS;
        private int maxResponseHeaderSize = DEFAULT_MAX_RESPONSE_HEADER_SIZE;
        private int maxResponseBodySize = NO_LIMIT;

        private Builder() {
        }

        /** Sets {@link LimitsConfig#maxConnections()}: 1 to {@value #MAX_CONNECTIONS}. */
        @JsonProperty("maxConnections")
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = ConfigException.requireRange("maxConnections", maxConnections, 1, MAX_CONNECTIONS,
                    " per upstream");
            return this;
        }

        /** Sets {@link LimitsConfig#maxQueuedRequests()}: 1 to {@value #MAX_QUEUED_REQUESTS}. */
        @JsonProperty("maxQueuedRequests")
        public Builder maxQueuedRequests(int maxQueuedRequests) {
            this.maxQueuedRequests = ConfigException.requireRange("maxQueuedRequests", maxQueuedRequests, 1,
                    MAX_QUEUED_REQUESTS, " per upstream");
            return this;
        }

        /** Sets {@link LimitsConfig#maxResponseHeaderSize()}: 1KB to 1MB. */
        @JsonProperty("maxResponseHeaderSize")
        @JsonDeserialize(using = ConfigValues.DataSizeDeserializer.class)
        public Builder maxResponseHeaderSize(int bytes) {
            this.maxResponseHeaderSize = DataSizes.require("maxResponseHeaderSize", bytes, MIN_HEADER_SIZE,
                    MAX_HEADER_SIZE, "from 1KB to 1MB");
            return this;
        }

        /** Sets {@link LimitsConfig#maxResponseBodySize()}: at least 1 byte. */
        @JsonProperty("maxResponseBodySize")
        @JsonDeserialize(using = ConfigValues.DataSizeDeserializer.class)
        public Builder maxResponseBodySize(int bytes) {
            this.maxResponseBodySize = DataSizes.require("maxResponseBodySize", bytes, 1, Integer.MAX_VALUE,
                    "a size of at least 1 byte, such as 10MB");
            return this;
        }

        /** @return the limits */
        public LimitsConfig build() {
            return new LimitsConfig(maxConnections, maxQueuedRequests, maxResponseHeaderSize, maxResponseBodySize);
        }
    }
}
