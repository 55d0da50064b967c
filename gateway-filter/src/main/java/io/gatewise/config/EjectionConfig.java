package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * Passive health: an upstream that fails several requests in a row is taken out of rotation for a
 * while, then given traffic again.
 *
 * @param consecutiveFailures failures in a row that eject an upstream (default
 *     {@value #DEFAULT_CONSECUTIVE_FAILURES}; 0 turns ejection off)
 * @param baseTime how long the first ejection lasts (default {@link #DEFAULT_BASE_TIME}); each
 *     further ejection of the same upstream lasts twice as long as the one before
 * @param maxTime the longest an ejection lasts (default {@link #DEFAULT_MAX_TIME})
 * @param maxEjectedPercent the most of a route's upstreams out at once, in percent (default
 *     {@value #DEFAULT_MAX_EJECTED_PERCENT})
 */
@JsonDeserialize(builder = EjectionConfig.Builder.class)
public record EjectionConfig(int consecutiveFailures, Duration baseTime, Duration maxTime, int maxEjectedPercent) {
    /** Default {@code consecutiveFailures}. */
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    /** Default {@code baseTime}. */
    public static final Duration DEFAULT_BASE_TIME = Duration.ofSeconds(30);
    /** Default {@code maxTime}. */
    public static final Duration DEFAULT_MAX_TIME = Duration.ofMinutes(5);
    /** Default {@code maxEjectedPercent}. */
    public static final int DEFAULT_MAX_EJECTED_PERCENT = 50;

    private static final EjectionConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static EjectionConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{consecutiveFailures: " + consecutiveFailures + ", baseTime: " + Durations.format(baseTime)
                + ", maxTime: " + Durations.format(maxTime) + ", maxEjectedPercent: " + maxEjectedPercent + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link EjectionConfig}, checking each value as it is set and maxTime against baseTime at the end. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private int consecutiveFailures = DEFAULT_CONSECUTIVE_FAILURES;
        private Duration baseTime = DEFAULT_BASE_TIME;
        private Duration maxTime = DEFAULT_MAX_TIME;
        private int maxEjectedPercent = DEFAULT_MAX_EJECTED_PERCENT;

        private Builder() {
        }

        /** Sets {@link EjectionConfig#consecutiveFailures()}: 0 to 1000; 0 turns ejection off. */
        @JsonProperty("consecutiveFailures")
        public Builder consecutiveFailures(int failures) {
            this.consecutiveFailures = ConfigException.requireRange("consecutiveFailures", failures, 0, 1000,
                    "; 0 turns ejection off");
            return this;
        }

        /** Sets {@link EjectionConfig#baseTime()}: from 1ms to 24h. */
        @JsonProperty("baseTime")
        public Builder baseTime(Duration baseTime) {
            this.baseTime = Durations.requirePositive("baseTime", baseTime);
            return this;
        }

        /** Sets {@link EjectionConfig#maxTime()}: from 1ms to 24h, and not shorter than the base time. */
        @JsonProperty("maxTime")
        public Builder maxTime(Duration maxTime) {
            this.maxTime = Durations.requirePositive("maxTime", maxTime);
            return this;
        }

        /** Sets {@link EjectionConfig#maxEjectedPercent()}: 0 to 100. */
        @JsonProperty("maxEjectedPercent")
        public Builder maxEjectedPercent(int percent) {
            this.maxEjectedPercent = ConfigException.requireRange("maxEjectedPercent", percent, 0, 100, "");
            return this;
        }

        /**
         * @return the ejection settings
         * @throws ConfigException if maxTime is shorter than baseTime
         */
        public EjectionConfig build() {
            if (maxTime.compareTo(baseTime) < 0) {
                throw ConfigException.invalid("maxTime", Durations.format(maxTime) + " is shorter than baseTime "
                        + Durations.format(baseTime) + " (expected: maxTime >= baseTime)");
            }
            return new EjectionConfig(consecutiveFailures, baseTime, maxTime, maxEjectedPercent);
        }
    }
}
