package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * A circuit breaker per upstream: when too many of its recent attempts failed, the circuit opens
 * and requests fail fast (or go to another upstream) instead of piling up timeouts; after
 * {@code openFor} a few trial requests decide whether it closes again.
 *
 * <ul>
 *   <li>{@code failureRateThreshold}: percent of failed attempts that opens it (default 50);</li>
 *   <li>{@code minimumCalls}: attempts before the rate counts (default 10);</li>
 *   <li>{@code windowSize}: recent attempts the rate is taken over (default 20);</li>
 *   <li>{@code openFor}: how long it stays open (default 30s);</li>
 *   <li>{@code halfOpenCalls}: trial attempts after that (default 3).</li>
 * </ul>
 */
@JsonDeserialize(builder = CircuitBreaking.Builder.class)
public final class CircuitBreaking {
    private final int failureRateThreshold;
    private final int minimumCalls;
    private final int windowSize;
    private final Duration openFor;
    private final int halfOpenCalls;

    private CircuitBreaking(Builder builder) {
        this.failureRateThreshold = builder.failureRateThreshold;
        this.minimumCalls = builder.minimumCalls;
        this.windowSize = builder.windowSize;
        this.openFor = builder.openFor;
        this.halfOpenCalls = builder.halfOpenCalls;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return percent of failed attempts that opens the circuit */
    public int failureRateThreshold() {
        return failureRateThreshold;
    }

    /** @return attempts before the rate counts */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** @return recent attempts the rate is taken over */
    public int windowSize() {
        return windowSize;
    }

    /** @return how long the circuit stays open */
    public Duration openFor() {
        return openFor;
    }

    /** @return trial attempts once it half-opens */
    public int halfOpenCalls() {
        return halfOpenCalls;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof CircuitBreaking)) {
            return false;
        }
        CircuitBreaking that = (CircuitBreaking) other;
        return failureRateThreshold == that.failureRateThreshold && minimumCalls == that.minimumCalls
                && windowSize == that.windowSize && openFor.equals(that.openFor) && halfOpenCalls == that.halfOpenCalls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(failureRateThreshold, minimumCalls, windowSize, openFor, halfOpenCalls);
    }

    @Override
    public String toString() {
        return "{failureRateThreshold: " + failureRateThreshold + ", openFor: " + Durations.format(openFor) + "}";
    }

    /** Builds {@link CircuitBreaking}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private int failureRateThreshold = 50;
        private int minimumCalls = 10;
        private int windowSize = 20;
        private Duration openFor = Duration.ofSeconds(30);
        private int halfOpenCalls = 3;

        private Builder() {
        }

        /** @param percent 1 to 100 @return this builder */
        @JsonProperty("failureRateThreshold")
        public Builder failureRateThreshold(int percent) {
            this.failureRateThreshold = ConfigException.requireRange("failureRateThreshold", percent, 1, 100, "");
            return this;
        }

        /** @param calls 1 to 10000 @return this builder */
        @JsonProperty("minimumCalls")
        public Builder minimumCalls(int calls) {
            this.minimumCalls = ConfigException.requireRange("minimumCalls", calls, 1, 10_000, "");
            return this;
        }

        /** @param calls 1 to 10000 @return this builder */
        @JsonProperty("windowSize")
        public Builder windowSize(int calls) {
            this.windowSize = ConfigException.requireRange("windowSize", calls, 1, 10_000, "");
            return this;
        }

        /** @param openFor positive @return this builder */
        @JsonProperty("openFor")
        public Builder openFor(Duration openFor) {
            this.openFor = Durations.requirePositive("openFor", openFor);
            return this;
        }

        /** @param calls 1 to 100 @return this builder */
        @JsonProperty("halfOpenCalls")
        public Builder halfOpenCalls(int calls) {
            this.halfOpenCalls = ConfigException.requireRange("halfOpenCalls", calls, 1, 100, "");
            return this;
        }

        /** @return the circuit breaker settings */
        public CircuitBreaking build() {
            return new CircuitBreaking(this);
        }
    }
}
