package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a failed request is tried again on another upstream of the route.
 *
 * <ul>
 *   <li>{@code maxAttempts}: tries in all, the first included (default 3; 1 turns retries off);</li>
 *   <li>{@code idempotentMethods}: methods that may be sent again after the upstream may have
 *       seen them (default GET, HEAD, OPTIONS, PUT, DELETE, TRACE);</li>
 *   <li>{@code budgetPercent}: retries allowed per 100 requests of the route, counted over the
 *       last 10 seconds (default 20), so retries cannot multiply an outage;</li>
 *   <li>{@code minRetriesPerSecond}: retries always allowed, whatever the traffic (default 3), so
 *       a quiet route can still retry;</li>
 *   <li>{@code replayBodySize}: the largest request body kept to be sent again (default 64KB; 0
 *       keeps none). A body of known length up to this size is read whole before the first
 *       attempt; a larger one, or one of unknown length, streams through and its request is
 *       retried only when no byte of it was sent;</li>
 *   <li>{@code onStatuses}: upstream statuses (5xx) that send an idempotent request to another
 *       upstream, as if the attempt had failed (default none). The last attempt's answer passes
 *       through as it is.</li>
 * </ul>
 *
 * <p>A request the upstream cannot have seen (the name did not resolve, the connection was
 * refused or timed out, TLS failed) is always safe to try elsewhere, with its body if it was kept.
 * After it was sent, only an idempotent method is, and only if its body (if any) was kept; a
 * request whose response has begun to reach the client never is.
 */
@JsonDeserialize(builder = Retries.Builder.class)
public final class Retries {
    /** Default largest request body kept for replay, in bytes. */
    public static final int DEFAULT_REPLAY_BODY_SIZE = 64 * 1024;
    private static final int MAX_REPLAY_BODY_SIZE = 16 * 1024 * 1024;
    private static final Retries DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Set<String> idempotentMethods;
    private final int budgetPercent;
    private final int minRetriesPerSecond;
    private final int replayBodySize;
    private final Set<Integer> onStatuses;

    private Retries(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.idempotentMethods = Set.copyOf(builder.idempotentMethods);
        this.budgetPercent = builder.budgetPercent;
        this.minRetriesPerSecond = builder.minRetriesPerSecond;
        this.replayBodySize = builder.replayBodySize;
        this.onStatuses = Set.copyOf(builder.onStatuses);
    }

    /**
     * @return the defaults: 3 attempts, the idempotent methods of RFC 9110, a 20% budget with 3
     *     retries/s, bodies up to 64KB kept for replay
     */
    public static Retries defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return tries in all, the first included */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the methods that may be sent again after the upstream may have seen them */
    public Set<String> idempotentMethods() {
        return idempotentMethods;
    }

    /** @return retries allowed per 100 requests of the route, over the last 10 seconds */
    public int budgetPercent() {
        return budgetPercent;
    }

    /** @return retries always allowed per second, whatever the traffic */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** @return the largest request body kept to be sent again, in bytes; 0 keeps none */
    public int replayBodySize() {
        return replayBodySize;
    }

    /** @return upstream statuses that send an idempotent request to another upstream; empty for none */
    public Set<Integer> onStatuses() {
        return onStatuses;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Retries)) {
            return false;
        }
        Retries that = (Retries) other;
        return maxAttempts == that.maxAttempts && idempotentMethods.equals(that.idempotentMethods)
                && budgetPercent == that.budgetPercent && minRetriesPerSecond == that.minRetriesPerSecond
                && replayBodySize == that.replayBodySize && onStatuses.equals(that.onStatuses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, idempotentMethods, budgetPercent, minRetriesPerSecond, replayBodySize, onStatuses);
    }

    @Override
    public String toString() {
        return "{maxAttempts: " + maxAttempts + ", idempotentMethods: " + new TreeSet<>(idempotentMethods)
                + ", budgetPercent: " + budgetPercent + ", minRetriesPerSecond: " + minRetriesPerSecond + ", replayBodySize: "
                + DataSizes.format(replayBodySize) + ", onStatuses: " + new TreeSet<>(onStatuses) + "}";
    }

    /** Builds {@link Retries}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private int maxAttempts = 3;
        private Set<String> idempotentMethods = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
        private int budgetPercent = 20;
        private int minRetriesPerSecond = 3;
        private int replayBodySize = DEFAULT_REPLAY_BODY_SIZE;
        private Set<Integer> onStatuses = Set.of();

        private Builder() {
        }

        /**
         * @param maxAttempts tries in all, 1 to 10
         * @return this builder
         */
        @JsonProperty("maxAttempts")
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = ConfigException.requireRange("maxAttempts", maxAttempts, 1, 10, "; 1 turns retries off");
            return this;
        }

        /**
         * @param methods methods that may be sent again after the upstream may have seen them
         * @return this builder
         */
        @JsonProperty("idempotentMethods")
        public Builder idempotentMethods(java.util.List<String> methods) {
            if (methods == null) {
                throw ConfigException.invalid("idempotentMethods", "empty (expected: a list such as [GET, HEAD])");
            }
            Set<String> upper = new TreeSet<>();
            for (int i = 0; i < methods.size(); i++) {
                String method = methods.get(i);
                if (method == null || !method.matches("[A-Za-z]+")) {
                    throw ConfigException.invalid("idempotentMethods[" + i + "]", "\"" + method
                            + "\" (expected: an HTTP method such as GET)");
                }
                upper.add(method.toUpperCase(Locale.ROOT));
            }
            this.idempotentMethods = upper;
            return this;
        }

        /**
         * @param percent retries allowed per 100 requests of the route, 0 to 100
         * @return this builder
         */
        @JsonProperty("budgetPercent")
        public Builder budgetPercent(int percent) {
            this.budgetPercent = ConfigException.requireRange("budgetPercent", percent, 0, 100, "");
            return this;
        }

        /**
         * @param perSecond retries always allowed per second, 0 to 1000
         * @return this builder
         */
        @JsonProperty("minRetriesPerSecond")
        public Builder minRetriesPerSecond(int perSecond) {
            this.minRetriesPerSecond = ConfigException.requireRange("minRetriesPerSecond", perSecond, 0, 1000, "");
            return this;
        }

        /**
         * @param bytes the largest request body kept to be sent again; 0 (keep none) to 16MB
         * @return this builder
         */
        @JsonProperty("replayBodySize")
        @JsonDeserialize(using = ConfigValues.DataSizeDeserializer.class)
        public Builder replayBodySize(int bytes) {
            this.replayBodySize = DataSizes.require("replayBodySize", bytes, 0, MAX_REPLAY_BODY_SIZE,
                    "from 0, which keeps no body, to 16MB");
            return this;
        }

        /**
         * @param statuses upstream statuses, each from 500 to 599, that send an idempotent request to
         *     another upstream
         * @return this builder
         */
        @JsonProperty("onStatuses")
        public Builder onStatuses(java.util.List<Integer> statuses) {
            this.onStatuses = ConfigException.requireStatuses("onStatuses", statuses, 500, 599,
                    "an upstream error status", "[502, 503, 504]");
            return this;
        }

        /** @return the retry settings */
        public Retries build() {
            return new Retries(this);
        }
    }
}
