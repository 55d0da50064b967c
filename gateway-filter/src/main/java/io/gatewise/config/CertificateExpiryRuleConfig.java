package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * The rule {@code GatewiseCertificateExpiring}: an upstream's certificate, or one the gateway's own
 * TLS listener serves ({@code gateway.tls.certificates}), ends soon, or has ended.
 *
 * @param enabled whether the rule runs (default true)
 * @param within how far ahead an end counts as soon: 1h to 365d (default {@link #DEFAULT_WITHIN})
 */
@JsonDeserialize(builder = CertificateExpiryRuleConfig.Builder.class)
public record CertificateExpiryRuleConfig(boolean enabled, Duration within) {
    /** Default {@code within}. */
    public static final Duration DEFAULT_WITHIN = Duration.ofDays(14);

    private static final Duration MIN_WITHIN = Duration.ofHours(1);
    private static final Duration MAX_WITHIN = Duration.ofDays(365);
    private static final CertificateExpiryRuleConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static CertificateExpiryRuleConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{enabled: " + enabled + ", within: " + Durations.format(within) + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link CertificateExpiryRuleConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private boolean enabled = true;
        private Duration within = DEFAULT_WITHIN;

        private Builder() {
        }

        /** Sets {@link CertificateExpiryRuleConfig#enabled()}. */
        @JsonProperty("enabled")
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Sets {@link CertificateExpiryRuleConfig#within()}: 1h to 365d, such as {@code 14d}. */
        @JsonProperty("within")
        public Builder within(Duration within) {
            if (within == null) {
                throw ConfigException.invalid("within", "missing (expected: a duration such as 14d)");
            }
            if (within.compareTo(MIN_WITHIN) < 0 || within.compareTo(MAX_WITHIN) > 0) {
                throw ConfigException.invalid("within", Durations.format(within) + " (expected: from "
                        + Durations.format(MIN_WITHIN) + " to " + Durations.format(MAX_WITHIN) + ", such as 14d)");
            }
            this.within = within;
            return this;
        }

        /** @return the rule's settings */
        public CertificateExpiryRuleConfig build() {
            return new CertificateExpiryRuleConfig(enabled, within);
        }
    }
}
