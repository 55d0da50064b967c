package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;

/**
 * The built-in alert rules, each with its settings; each can be tuned, or turned off with
 * {@code enabled: false}. A rule the section does not name runs with its defaults.
 *
 * @param routeErrorRate {@code GatewiseRouteErrorRate}
 * @param routeDown {@code GatewiseRouteDown}
 * @param certificateExpiry {@code GatewiseCertificateExpiring}
 * @param configReloadFailed {@code GatewiseConfigReloadFailed}
 */
@JsonDeserialize(builder = AlertRulesConfig.Builder.class)
public record AlertRulesConfig(RouteErrorRateRuleConfig routeErrorRate, RouteDownRuleConfig routeDown,
        CertificateExpiryRuleConfig certificateExpiry, ConfigReloadFailedRuleConfig configReloadFailed) {
    private static final AlertRulesConfig DEFAULTS = builder().build();

    /** @return every rule with its defaults */
    public static AlertRulesConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{routeErrorRate: " + routeErrorRate + ", routeDown: " + routeDown + ", certificateExpiry: "
                + certificateExpiry + ", configReloadFailed: " + configReloadFailed + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link AlertRulesConfig}. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private RouteErrorRateRuleConfig routeErrorRate = RouteErrorRateRuleConfig.defaults();
        private RouteDownRuleConfig routeDown = RouteDownRuleConfig.defaults();
        private CertificateExpiryRuleConfig certificateExpiry = CertificateExpiryRuleConfig.defaults();
        private ConfigReloadFailedRuleConfig configReloadFailed = ConfigReloadFailedRuleConfig.defaults();

        private Builder() {
        }

        /** Sets {@link AlertRulesConfig#routeErrorRate()}. */
        @JsonProperty("routeErrorRate")
        public Builder routeErrorRate(RouteErrorRateRuleConfig rule) {
            this.routeErrorRate = ConfigException.requireSection("routeErrorRate", rule,
                    "{ threshold: 5%, window: 5m, minRequests: 20, for: 1m }");
            return this;
        }

        /** Sets {@link AlertRulesConfig#routeDown()}. */
        @JsonProperty("routeDown")
        public Builder routeDown(RouteDownRuleConfig rule) {
            this.routeDown = ConfigException.requireSection("routeDown", rule, "{ for: 0s }");
            return this;
        }

        /** Sets {@link AlertRulesConfig#certificateExpiry()}. */
        @JsonProperty("certificateExpiry")
        public Builder certificateExpiry(CertificateExpiryRuleConfig rule) {
            this.certificateExpiry = ConfigException.requireSection("certificateExpiry", rule, "{ within: 14d }");
            return this;
        }

        /** Sets {@link AlertRulesConfig#configReloadFailed()}. */
        @JsonProperty("configReloadFailed")
        public Builder configReloadFailed(ConfigReloadFailedRuleConfig rule) {
            this.configReloadFailed = ConfigException.requireSection("configReloadFailed", rule,
                    "{} or { enabled: false }");
            return this;
        }

        /** @return the rules */
        public AlertRulesConfig build() {
            return new AlertRulesConfig(routeErrorRate, routeDown, certificateExpiry, configReloadFailed);
        }
    }
}
