package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.Locale;

/**
 * The rule {@code GatewiseRouteErrorRate}: a route answers too many requests with the gateway's
 * own errors.
 *
 * @param enabled whether the rule runs (default true)
 * @param threshold the share of requests, above which it fires: 0 to 1, written {@code 5%} or
 *     {@code 0.05} (default {@link #DEFAULT_THRESHOLD})
 * @param window how far back requests are counted: 10s to 5m (default {@link #DEFAULT_WINDOW})
 * @param minRequests how many requests the window must hold, so a quiet route does not page
 *     (default {@link #DEFAULT_MIN_REQUESTS})
 * @param pendingFor the key {@code for}: how long the rate must stay above the threshold before
 *     the alert fires, and below it before it resolves (default {@link #DEFAULT_FOR})
 */
@JsonDeserialize(builder = RouteErrorRateRuleConfig.Builder.class)
public record RouteErrorRateRuleConfig(boolean enabled, double threshold, Duration window, int minRequests,
        Duration pendingFor) {
    /** Default {@code threshold}: 5%. */
    public static final double DEFAULT_THRESHOLD = 0.05;
    /** Default {@code window}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    /** The longest {@code window}: what the gateway keeps of its traffic. */
    public static final Duration MAX_WINDOW = Duration.ofMinutes(5);
    /** Default {@code minRequests}. */
    public static final int DEFAULT_MIN_REQUESTS = 20;
    /** Default {@code for}. */
    public static final Duration DEFAULT_FOR = Duration.ofMinutes(1);

    private static final Duration MIN_WINDOW = Duration.ofSeconds(10);
    private static final String THRESHOLD_EXPECTED = "a percentage such as 5%, or a ratio from 0 to 1 such as 0.05";
    private static final RouteErrorRateRuleConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static RouteErrorRateRuleConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{enabled: " + enabled + ", threshold: " + String.format(Locale.ROOT, "%s%%", threshold * 100)
                + ", window: " + Durations.format(window) + ", minRequests: " + minRequests + ", for: "
                + Durations.format(pendingFor) + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RouteErrorRateRuleConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private boolean enabled = true;
        private double threshold = DEFAULT_THRESHOLD;
        private Duration window = DEFAULT_WINDOW;
        private int minRequests = DEFAULT_MIN_REQUESTS;
        private Duration pendingFor = DEFAULT_FOR;

        private Builder() {
        }

        /** Sets {@link RouteErrorRateRuleConfig#enabled()}. */
        @JsonProperty("enabled")
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Sets {@link RouteErrorRateRuleConfig#threshold()} as a ratio: above 0, at most 1. */
        public Builder threshold(double ratio) {
            if (!(ratio > 0 && ratio <= 1)) {
                throw ConfigException.invalid("threshold", ratio + " (expected: " + THRESHOLD_EXPECTED + ")");
            }
            this.threshold = ratio;
            return this;
        }

        /** Sets {@link RouteErrorRateRuleConfig#threshold()} as written: {@code 5%} or {@code 0.05}. */
        @JsonProperty("threshold")
        public Builder threshold(String text) {
            if (text == null || text.isBlank()) {
                throw ConfigException.invalid("threshold", "missing (expected: " + THRESHOLD_EXPECTED + ")");
            }
            String trimmed = text.trim();
            boolean percent = trimmed.endsWith("%");
            double value;
            try {
                value = Double.parseDouble(percent ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            double ratio = percent ? value / 100 : value;
            if (!(ratio > 0 && ratio <= 1) || Character.isLetter(trimmed.charAt(trimmed.length() - 1))) {
                throw ConfigException.invalid("threshold", ConfigValues.quote(text) + " (expected: "
                        + THRESHOLD_EXPECTED + ")");
            }
            this.threshold = ratio;
            return this;
        }

        /** Sets {@link RouteErrorRateRuleConfig#window()}: 10s to 5m. */
        @JsonProperty("window")
        public Builder window(Duration window) {
            this.window = Durations.requireBetween("window", window, MIN_WINDOW, MAX_WINDOW,
                    ": the gateway keeps 5 minutes of traffic");
            return this;
        }

        /** Sets {@link RouteErrorRateRuleConfig#minRequests()}: 1 to 1000000. */
        @JsonProperty("minRequests")
        public Builder minRequests(int minRequests) {
            this.minRequests = ConfigException.requireRange("minRequests", minRequests, 1, 1_000_000, "");
            return this;
        }

        /** Sets {@link RouteErrorRateRuleConfig#pendingFor()}, the key {@code for}: 0s to 24h. */
        @JsonProperty("for")
        public Builder pendingFor(Duration pendingFor) {
            this.pendingFor = Durations.requireNotNegative("for", pendingFor);
            return this;
        }

        /** @return the rule's settings */
        public RouteErrorRateRuleConfig build() {
            return new RouteErrorRateRuleConfig(enabled, threshold, window, minRequests, pendingFor);
        }
    }
}
