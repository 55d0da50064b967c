package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * The rule {@code GatewiseRouteDown}: no upstream of a route can take traffic.
 *
 * @param enabled whether the rule runs (default true)
 * @param pendingFor the key {@code for}: how long no upstream must be able to take traffic before
 *     the alert fires, and how long one must be back before it resolves (default 0s)
 */
@JsonDeserialize(builder = RouteDownRuleConfig.Builder.class)
public record RouteDownRuleConfig(boolean enabled, Duration pendingFor) {
    private static final RouteDownRuleConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static RouteDownRuleConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{enabled: " + enabled + ", for: " + Durations.format(pendingFor) + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RouteDownRuleConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private boolean enabled = true;
        private Duration pendingFor = Duration.ZERO;

        private Builder() {
        }

        /** Sets {@link RouteDownRuleConfig#enabled()}. */
        @JsonProperty("enabled")
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Sets {@link RouteDownRuleConfig#pendingFor()}, the key {@code for}: 0s to 24h. */
        @JsonProperty("for")
        public Builder pendingFor(Duration pendingFor) {
            this.pendingFor = Durations.requireNotNegative("for", pendingFor);
            return this;
        }

        /** @return the rule's settings */
        public RouteDownRuleConfig build() {
            return new RouteDownRuleConfig(enabled, pendingFor);
        }
    }
}
