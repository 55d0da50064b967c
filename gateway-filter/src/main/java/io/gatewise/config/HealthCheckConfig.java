package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * Active health checks of a route's upstreams: a GET of {@code path} on each upstream every
 * {@code interval}; an upstream failing {@code unhealthyThreshold} probes in a row leaves rotation
 * until it passes {@code healthyThreshold} in a row.
 *
 * @param path what to GET (required), such as {@code /health}
 * @param interval time between probes (default {@link #DEFAULT_INTERVAL})
 * @param timeout how long one probe may take (default {@link #DEFAULT_TIMEOUT})
 * @param healthyThreshold passed probes in a row that bring an upstream back (default
 *     {@value #DEFAULT_HEALTHY_THRESHOLD})
 * @param unhealthyThreshold failed probes in a row that take an upstream out (default
 *     {@value #DEFAULT_UNHEALTHY_THRESHOLD})
 * @param expectedStatus the status a healthy upstream answers (default {@value #DEFAULT_EXPECTED_STATUS})
 */
@JsonDeserialize(builder = HealthCheckConfig.Builder.class)
public record HealthCheckConfig(String path, Duration interval, Duration timeout, int healthyThreshold,
        int unhealthyThreshold, int expectedStatus) {
    /** Default {@code interval}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Default {@code timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@code healthyThreshold}. */
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    /** Default {@code unhealthyThreshold}. */
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
    /** Default {@code expectedStatus}. */
    public static final int DEFAULT_EXPECTED_STATUS = 200;

    private static final String EXPECTED_PATH = "a path such as /health";

    @Override
    public String toString() {
        return "{path: " + path + ", interval: " + Durations.format(interval) + "}";
    }

    /** @return a builder with the defaults and no path: the path is required */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link HealthCheckConfig}, checking each value as it is set and the path's presence at the end. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String path;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int healthyThreshold = DEFAULT_HEALTHY_THRESHOLD;
        private int unhealthyThreshold = DEFAULT_UNHEALTHY_THRESHOLD;
        private int expectedStatus = DEFAULT_EXPECTED_STATUS;

        private Builder() {
        }

        /** Sets {@link HealthCheckConfig#path()}: starting with /, printable, without spaces. */
        @JsonProperty("path")
        public Builder path(String path) {
            if (path == null || !path.startsWith("/") || !ConfigValues.isPrintableWithoutSpaces(path)) {
                throw ConfigException.invalid("path", ConfigValues.quote(path) + " (expected: " + EXPECTED_PATH + ")");
            }
            this.path = path;
            return this;
        }

        /** Sets {@link HealthCheckConfig#interval()}: from 1ms to 24h. */
        @JsonProperty("interval")
        public Builder interval(Duration interval) {
            this.interval = Durations.requirePositive("interval", interval);
            return this;
        }

        /** Sets {@link HealthCheckConfig#timeout()}: from 1ms to 24h. */
        @JsonProperty("timeout")
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.requirePositive("timeout", timeout);
            return this;
        }

        /** Sets {@link HealthCheckConfig#healthyThreshold()}: 1 to 100. */
        @JsonProperty("healthyThreshold")
        public Builder healthyThreshold(int threshold) {
            this.healthyThreshold = ConfigException.requireRange("healthyThreshold", threshold, 1, 100, "");
            return this;
        }

        /** Sets {@link HealthCheckConfig#unhealthyThreshold()}: 1 to 100. */
        @JsonProperty("unhealthyThreshold")
        public Builder unhealthyThreshold(int threshold) {
            this.unhealthyThreshold = ConfigException.requireRange("unhealthyThreshold", threshold, 1, 100, "");
            return this;
        }

        /** Sets {@link HealthCheckConfig#expectedStatus()}: 100 to 599. */
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
        public HealthCheckConfig build() {
            if (path == null) {
                throw ConfigException.invalid("path", "missing (expected: " + EXPECTED_PATH + ")");
            }
            return new HealthCheckConfig(path, interval, timeout, healthyThreshold, unhealthyThreshold, expectedStatus);
        }
    }
}
