package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;

/**
 * How long the gateway keeps the addresses of an upstream name.
 *
 * @param ttl how long an answer is used before the name is looked up again (default
 *     {@link #DEFAULT_TTL}; 0s turns the cache off: every new connection looks the name up)
 * @param keepStale how long, past its ttl, an answer is still used when looking the name up again
 *     fails (default {@link #DEFAULT_KEEP_STALE}; 0s fails at once), so a DNS outage does not take
 *     down upstreams whose addresses have not changed
 */
@JsonDeserialize(builder = DnsCacheConfig.Builder.class)
public record DnsCacheConfig(Duration ttl, Duration keepStale) {
    /** Default {@code ttl}. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    /** Default {@code keepStale}. */
    public static final Duration DEFAULT_KEEP_STALE = Duration.ofMinutes(5);

    private static final DnsCacheConfig DEFAULTS = builder().build();

    /** @return the defaults */
    public static DnsCacheConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{ttl: " + Durations.format(ttl) + ", keepStale: " + Durations.format(keepStale) + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link DnsCacheConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private Duration ttl = DEFAULT_TTL;
        private Duration keepStale = DEFAULT_KEEP_STALE;

        private Builder() {
        }

        /** Sets {@link DnsCacheConfig#ttl()}: from 0s to 24h. */
        @JsonProperty("ttl")
        public Builder ttl(Duration ttl) {
            this.ttl = Durations.requireNotNegative("ttl", ttl);
            return this;
        }

        /** Sets {@link DnsCacheConfig#keepStale()}: from 0s to 24h. */
        @JsonProperty("keepStale")
        public Builder keepStale(Duration keepStale) {
            this.keepStale = Durations.requireNotNegative("keepStale", keepStale);
            return this;
        }

        /** @return the DNS cache settings */
        public DnsCacheConfig build() {
            return new DnsCacheConfig(ttl, keepStale);
        }
    }
}
