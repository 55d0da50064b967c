package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * A circuit breaker per upstream: when too many of its recent attempts failed, the circuit opens
 * and requests fail fast (or go to another upstream) instead of piling up timeouts; after
 * {@code openFor} a few trial requests decide whether it closes again.
 *
 * @param failureRateThreshold percent of failed attempts that opens it (default
 *     {@value #DEFAULT_FAILURE_RATE_THRESHOLD})
 * @param minimumCalls attempts before the rate counts (default {@value #DEFAULT_MINIMUM_CALLS})
 * @param windowSize recent attempts the rate is taken over (default {@value #DEFAULT_WINDOW_SIZE})
 * @param openFor how long it stays open (default {@link #DEFAULT_OPEN_FOR})
 * @param halfOpenCalls trial attempts once it half-opens (default {@value #DEFAULT_HALF_OPEN_CALLS})
 */
@JsonDeserialize(builder = CircuitBreakerConfig.Builder.class)
public record CircuitBreakerConfig(int failureRateThreshold, int minimumCalls, int windowSize, Duration openFor,
        int halfOpenCalls) {
    /** Default {@code failureRateThreshold}, in percent. */
    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;
    /** Default {@code minimumCalls}. */
    public static final int DEFAULT_MINIMUM_CALLS = 10;
    /** Default {@code windowSize}. */
    public static final int DEFAULT_WINDOW_SIZE = 20;
    /** Default {@code openFor}. */
    public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);
    /** Default {@code halfOpenCalls}. */
    public static final int DEFAULT_HALF_OPEN_CALLS = 3;

    @Override
    public String toString() {
        return "{failureRateThreshold: " + failureRateThreshold + ", openFor: " + Durations.format(openFor) + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link CircuitBreakerConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private int windowSize = DEFAULT_WINDOW_SIZE;
        private Duration openFor = DEFAULT_OPEN_FOR;
        private int halfOpenCalls = DEFAULT_HALF_OPEN_CALLS;

        private Builder() {
        }

        /** Sets {@link CircuitBreakerConfig#failureRateThreshold()}: 1 to 100. */
        @JsonProperty("failureRateThreshold")
        public Builder failureRateThreshold(int percent) {
            this.failureRateThreshold = ConfigException.requireRange("failureRateThreshold", percent, 1, 100, "");
            return this;
        }

        /** Sets {@link CircuitBreakerConfig#minimumCalls()}: 1 to 10000. */
        @JsonProperty("minimumCalls")
        public Builder minimumCalls(int calls) {
            this.minimumCalls = ConfigException.requireRange("minimumCalls", calls, 1, 10_000, "");
            return this;
        }

        /** Sets {@link CircuitBreakerConfig#windowSize()}: 1 to 10000. */
        @JsonProperty("windowSize")
        public Builder windowSize(int calls) {
            this.windowSize = ConfigException.requireRange("windowSize", calls, 1, 10_000, "");
            return this;
        }

        /** Sets {@link CircuitBreakerConfig#openFor()}: from 1ms to 24h. */
        @JsonProperty("openFor")
        public Builder openFor(Duration openFor) {
            this.openFor = Durations.requirePositive("openFor", openFor);
            return this;
        }

        /** Sets {@link CircuitBreakerConfig#halfOpenCalls()}: 1 to 100. */
        @JsonProperty("halfOpenCalls")
        public Builder halfOpenCalls(int calls) {
            this.halfOpenCalls = ConfigException.requireRange("halfOpenCalls", calls, 1, 100, "");
            return this;
        }

        /** @return the circuit breaker settings */
        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(failureRateThreshold, minimumCalls, windowSize, openFor, halfOpenCalls);
        }
    }
}
