package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;

/**
 * The rule {@code GatewiseConfigReloadFailed}: the last reload of the configuration was refused
 * (the old one still serves). It resolves on the next successful reload.
 *
 * @param enabled whether the rule runs (default true)
 */
@JsonDeserialize(builder = ConfigReloadFailedRuleConfig.Builder.class)
public record ConfigReloadFailedRuleConfig(boolean enabled) {
    private static final ConfigReloadFailedRuleConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static ConfigReloadFailedRuleConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{enabled: " + enabled + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ConfigReloadFailedRuleConfig}. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private boolean enabled = true;

        private Builder() {
        }

        /** Sets {@link ConfigReloadFailedRuleConfig#enabled()}. */
        @JsonProperty("enabled")
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @return the rule's settings */
        public ConfigReloadFailedRuleConfig build() {
            return new ConfigReloadFailedRuleConfig(enabled);
        }
    }
}
