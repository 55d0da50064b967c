package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * Passive health: an upstream that fails several requests in a row is taken out of rotation for a
 * while, then given traffic again.
 *
 * <ul>
 *   <li>{@code consecutiveFailures}: failures in a row that eject an upstream (default 5; 0 turns
 *       ejection off);</li>
 *   <li>{@code baseTime}: how long the first ejection lasts (default 30s); each further ejection
 *       of the same upstream lasts twice as long as the one before;</li>
 *   <li>{@code maxTime}: the longest an ejection lasts (default 5m);</li>
 *   <li>{@code maxEjectedPercent}: the most of a route's upstreams out at once (default 50).</li>
 * </ul>
 */
@JsonDeserialize(builder = Ejection.Builder.class)
public final class Ejection {
    private static final Ejection DEFAULTS = builder().build();

    private final int consecutiveFailures;
    private final Duration baseTime;
    private final Duration maxTime;
    private final int maxEjectedPercent;

    private Ejection(Builder builder) {
        this.consecutiveFailures = builder.consecutiveFailures;
        this.baseTime = builder.baseTime;
        this.maxTime = builder.maxTime;
        this.maxEjectedPercent = builder.maxEjectedPercent;
    }

    /** @return the defaults: 5 failures in a row, 30s doubling up to 5m, at most half the upstreams out */
    public static Ejection defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return failures in a row that eject an upstream; 0 for never */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** @return how long a first ejection lasts */
    public Duration baseTime() {
        return baseTime;
    }

    /** @return the longest an ejection lasts */
    public Duration maxTime() {
        return maxTime;
    }

    /** @return the most of a route's upstreams out at once, in percent */
    public int maxEjectedPercent() {
        return maxEjectedPercent;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Ejection)) {
            return false;
        }
        Ejection that = (Ejection) other;
        return consecutiveFailures == that.consecutiveFailures && baseTime.equals(that.baseTime)
                && maxTime.equals(that.maxTime) && maxEjectedPercent == that.maxEjectedPercent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(consecutiveFailures, baseTime, maxTime, maxEjectedPercent);
    }

    @Override
    public String toString() {
        return "{consecutiveFailures: " + consecutiveFailures + ", baseTime: " + Durations.format(baseTime)
                + ", maxTime: " + Durations.format(maxTime) + ", maxEjectedPercent: " + maxEjectedPercent + "}";
    }

    /** Builds {@link Ejection}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private int consecutiveFailures = 5;
        private Duration baseTime = Duration.ofSeconds(30);
        private Duration maxTime = Duration.ofMinutes(5);
        private int maxEjectedPercent = 50;

        private Builder() {
        }

        /** @param failures failures in a row that eject, 0 to 1000; 0 turns ejection off @return this builder */
        @JsonProperty("consecutiveFailures")
        public Builder consecutiveFailures(int failures) {
            this.consecutiveFailures = ConfigException.requireRange("consecutiveFailures", failures, 0, 1000,
                    "; 0 turns ejection off");
            return this;
        }

        /** @param baseTime how long a first ejection lasts; positive @return this builder */
        @JsonProperty("baseTime")
        public Builder baseTime(Duration baseTime) {
            this.baseTime = Durations.requirePositive("baseTime", baseTime);
            return this;
        }

        /** @param maxTime the longest an ejection lasts; positive @return this builder */
        @JsonProperty("maxTime")
        public Builder maxTime(Duration maxTime) {
            this.maxTime = Durations.requirePositive("maxTime", maxTime);
            return this;
        }

        /** @param percent the most of a route's upstreams out at once, 0 to 100 @return this builder */
        @JsonProperty("maxEjectedPercent")
        public Builder maxEjectedPercent(int percent) {
            this.maxEjectedPercent = ConfigException.requireRange("maxEjectedPercent", percent, 0, 100, "");
            return this;
        }

        /**
         * @return the ejection settings
         * @throws ConfigException if maxTime is shorter than baseTime
         */
        public Ejection build() {
            if (maxTime.compareTo(baseTime) < 0) {
                throw ConfigException.invalid("maxTime", Durations.format(maxTime) + " is shorter than baseTime "
                        + Durations.format(baseTime) + " (expected: maxTime >= baseTime)");
            }
            return new Ejection(this);
        }
    }
}
