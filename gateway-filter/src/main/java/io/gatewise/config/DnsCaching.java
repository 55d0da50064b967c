package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * How long the gateway keeps the addresses of an upstream name.
 *
 * <ul>
 *   <li>{@code ttl}: how long an answer is used before the name is looked up again (default 30s;
 *       0s turns the cache off: every new connection looks the name up);</li>
 *   <li>{@code keepStale}: how long, past its ttl, an answer is still used when looking the name
 *       up again fails (default 5m; 0s fails at once), so a DNS outage does not take down
 *       upstreams whose addresses have not changed.</li>
 * </ul>
 */
@JsonDeserialize(builder = DnsCaching.Builder.class)
public final class DnsCaching {
    private static final DnsCaching DEFAULTS = builder().build();

    private final Duration ttl;
    private final Duration keepStale;

    private DnsCaching(Builder builder) {
        this.ttl = builder.ttl;
        this.keepStale = builder.keepStale;
    }

    /** @return the defaults: 30s, kept 5m past that when a new lookup fails */
    public static DnsCaching defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how long an answer is used before the name is looked up again */
    public Duration ttl() {
        return ttl;
    }

    /** @return how long past its ttl an answer is still used when a new lookup fails */
    public Duration keepStale() {
        return keepStale;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DnsCaching && ttl.equals(((DnsCaching) other).ttl)
                && keepStale.equals(((DnsCaching) other).keepStale);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, keepStale);
    }

    @Override
    public String toString() {
        return "{ttl: " + Durations.format(ttl) + ", keepStale: " + Durations.format(keepStale) + "}";
    }

    /** Builds {@link DnsCaching}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private Duration ttl = Duration.ofSeconds(30);
        private Duration keepStale = Duration.ofMinutes(5);

        private Builder() {
        }

        /** @param ttl how long an answer is used; 0s for not at all @return this builder */
        @JsonProperty("ttl")
        public Builder ttl(Duration ttl) {
            this.ttl = Durations.requireNotNegative("ttl", ttl);
            return this;
        }

        /** @param keepStale how long past its ttl an answer outlives failed lookups @return this builder */
        @JsonProperty("keepStale")
        public Builder keepStale(Duration keepStale) {
            this.keepStale = Durations.requireNotNegative("keepStale", keepStale);
            return this;
        }

        /** @return the DNS cache settings */
        public DnsCaching build() {
            return new DnsCaching(this);
        }
    }
}
