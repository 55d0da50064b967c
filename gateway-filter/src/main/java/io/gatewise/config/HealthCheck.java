package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * Active health checks of a route's upstreams: a GET of {@code path} on each upstream every
 * {@code interval}; an upstream failing {@code unhealthyThreshold} probes in a row leaves rotation
 * until it passes {@code healthyThreshold} in a row.
 *
 * <ul>
 *   <li>{@code path}: what to GET (required), such as {@code /health};</li>
 *   <li>{@code interval}: time between probes (default 10s);</li>
 *   <li>{@code timeout}: how long one probe may take (default 2s);</li>
 *   <li>{@code healthyThreshold}, {@code unhealthyThreshold}: probes in a row that change the
 *       state (default 2 and 3);</li>
 *   <li>{@code expectedStatus}: the status a healthy upstream answers (default 200).</li>
 * </ul>
 */
@JsonDeserialize(builder = HealthCheck.Builder.class)
public final class HealthCheck {
    private final String path;
    private final Duration interval;
    private final Duration timeout;
    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private final int expectedStatus;

    private HealthCheck(Builder builder) {
        this.path = builder.path;
        this.interval = builder.interval;
        this.timeout = builder.timeout;
        this.healthyThreshold = builder.healthyThreshold;
        this.unhealthyThreshold = builder.unhealthyThreshold;
        this.expectedStatus = builder.expectedStatus;
    }

    /** @return an empty builder; the path is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the path probed */
    public String path() {
        return path;
    }

    /** @return time between probes */
    public Duration interval() {
        return interval;
    }

    /** @return how long one probe may take */
    public Duration timeout() {
        return timeout;
    }

    /** @return passed probes in a row that bring an upstream back */
    public int healthyThreshold() {
        return healthyThreshold;
    }

    /** @return failed probes in a row that take an upstream out */
    public int unhealthyThreshold() {
        return unhealthyThreshold;
    }

    /** @return the status a healthy upstream answers */
    public int expectedStatus() {
        return expectedStatus;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof HealthCheck)) {
            return false;
        }
        HealthCheck that = (HealthCheck) other;
        return path.equals(that.path) && interval.equals(that.interval) && timeout.equals(that.timeout)
                && healthyThreshold == that.healthyThreshold && unhealthyThreshold == that.unhealthyThreshold
                && expectedStatus == that.expectedStatus;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, interval, timeout, healthyThreshold, unhealthyThreshold, expectedStatus);
    }

    @Override
    public String toString() {
        return "{path: " + path + ", interval: " + Durations.format(interval) + "}";
    }

    /** Builds {@link HealthCheck}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private String path;
        private Duration interval = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(2);
        private int healthyThreshold = 2;
        private int unhealthyThreshold = 3;
        private int expectedStatus = 200;

        private Builder() {
        }

        /** @param path the path to GET, starting with / @return this builder */
        @JsonProperty("path")
        public Builder path(String path) {
            if (path == null || !path.startsWith("/") || !ConfigValues.isPrintableWithoutSpaces(path)) {
                throw ConfigException.invalid("path", "\"" + path + "\" (expected: a path such as /health)");
            }
            this.path = path;
            return this;
        }

        /** @param interval time between probes; positive @return this builder */
        @JsonProperty("interval")
        public Builder interval(Duration interval) {
            this.interval = Durations.requirePositive("interval", interval);
            return this;
        }

        /** @param timeout how long a probe may take; positive @return this builder */
        @JsonProperty("timeout")
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.requirePositive("timeout", timeout);
            return this;
        }

        /** @param threshold passed probes in a row that bring an upstream back, 1 to 100 @return this builder */
        @JsonProperty("healthyThreshold")
        public Builder healthyThreshold(int threshold) {
            this.healthyThreshold = ConfigException.requireRange("healthyThreshold", threshold, 1, 100, "");
            return this;
        }

        /** @param threshold failed probes in a row that take an upstream out, 1 to 100 @return this builder */
        @JsonProperty("unhealthyThreshold")
        public Builder unhealthyThreshold(int threshold) {
            this.unhealthyThreshold = ConfigException.requireRange("unhealthyThreshold", threshold, 1, 100, "");
            return this;
        }

        /** @param status the status a healthy upstream answers, 100 to 599 @return this builder */
        @JsonProperty("expectedStatus")
        public Builder expectedStatus(int status) {
            if (status < 100 || status > 599) {
                throw ConfigException.invalid("expectedStatus", status + " (expected: an HTTP status such as 200)");
            }
            this.expectedStatus = status;
            return this;
        }

        /**
         * @return the health check
         * @throws ConfigException if the path is missing
         */
        public HealthCheck build() {
            if (path == null) {
                throw ConfigException.invalid("path", "missing (expected: a path such as /health)");
            }
            return new HealthCheck(this);
        }
    }
}
