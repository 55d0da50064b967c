package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a failed request is tried again on another upstream of the route.
 *
 * <p>A request the upstream cannot have seen (the name did not resolve, the connection was
 * refused or timed out, TLS failed) is always safe to try elsewhere, with its body if it was kept.
 * After it was sent, only an idempotent method is, and only if its body (if any) was kept; a
 * request whose response has begun to reach the client never is.
 *
 * @param maxAttempts tries in all, the first included (default {@value #DEFAULT_MAX_ATTEMPTS}; 1 turns
 *     retries off)
 * @param idempotentMethods methods that may be sent again after the upstream may have seen them
 *     (default {@link #DEFAULT_IDEMPOTENT_METHODS})
 * @param budgetPercent retries allowed per 100 requests of the route, counted over the last 10
 *     seconds (default {@value #DEFAULT_BUDGET_PERCENT}), so retries cannot multiply an outage
 * @param minRetriesPerSecond retries always allowed per second, whatever the traffic (default
 *     {@value #DEFAULT_MIN_RETRIES_PER_SECOND}), so a quiet route can still retry
 * @param replayBodySize the largest request body kept to be sent again, in bytes (default
 *     {@value #DEFAULT_REPLAY_BODY_SIZE}; 0 keeps none). A body of known length up to this size is
 *     read whole before the first attempt; a larger one, or one of unknown length, streams through
 *     and its request is retried only when no byte of it was sent
 * @param onStatuses upstream statuses (5xx) that send an idempotent request to another upstream,
 *     as if the attempt had failed (default none). The last attempt's answer passes through as it is
 */
@JsonDeserialize(builder = RetryConfig.Builder.class)
public record RetryConfig(int maxAttempts, Set<String> idempotentMethods, int budgetPercent, int minRetriesPerSecond,
        int replayBodySize, Set<Integer> onStatuses) {
    /** Default {@code maxAttempts}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default {@code idempotentMethods}: the idempotent methods of RFC 9110. */
    public static final Set<String> DEFAULT_IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE",
            "TRACE");
    /** Default {@code budgetPercent}. */
    public static final int DEFAULT_BUDGET_PERCENT = 20;
    /** Default {@code minRetriesPerSecond}. */
    public static final int DEFAULT_MIN_RETRIES_PER_SECOND = 3;
    /** Default {@code replayBodySize}, in bytes. */
    public static final int DEFAULT_REPLAY_BODY_SIZE = 64 * 1024;

    private static final int MAX_REPLAY_BODY_SIZE = 16 * 1024 * 1024;
    private static final RetryConfig DEFAULTS = builder().build();

    /** Copies the sets; the values are checked by the {@link Builder}, which is how to make one. */
    public RetryConfig {
        idempotentMethods = Set.copyOf(idempotentMethods);
        onStatuses = Set.copyOf(onStatuses);
    }

    /** @return the defaults */
    public static RetryConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{maxAttempts: " + maxAttempts + ", idempotentMethods: " + new TreeSet<>(idempotentMethods)
                + ", budgetPercent: " + budgetPercent + ", minRetriesPerSecond: " + minRetriesPerSecond
                + ", replayBodySize: " + DataSizes.format(replayBodySize) + ", onStatuses: " + new TreeSet<>(onStatuses)
                + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RetryConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Set<String> idempotentMethods = DEFAULT_IDEMPOTENT_METHODS;
        private int budgetPercent = DEFAULT_BUDGET_PERCENT;
        private int minRetriesPerSecond = DEFAULT_MIN_RETRIES_PER_SECOND;
        private int replayBodySize = DEFAULT_REPLAY_BODY_SIZE;
        private Set<Integer> onStatuses = Set.of();

        private Builder() {
        }

        /** Sets {@link RetryConfig#maxAttempts()}: 1 to 10. */
        @JsonProperty("maxAttempts")
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = ConfigException.requireRange("maxAttempts", maxAttempts, 1, 10, "; 1 turns retries off");
            return this;
        }

        /** Sets {@link RetryConfig#idempotentMethods()}: method names, in any case. */
        @JsonProperty("idempotentMethods")
        public Builder idempotentMethods(List<String> methods) {
            if (methods == null) {
                throw ConfigException.invalid("idempotentMethods", "empty (expected: a list such as [GET, HEAD])");
            }
            Set<String> upper = new TreeSet<>();
            for (int i = 0; i < methods.size(); i++) {
                String method = methods.get(i);
                if (method == null || !method.matches("[A-Za-z]+")) {
                    throw ConfigException.invalid("idempotentMethods[" + i + "]", ConfigValues.quote(method)
                            + " (expected: an HTTP method such as GET)");
                }
                upper.add(method.toUpperCase(Locale.ROOT));
            }
            this.idempotentMethods = upper;
            return this;
        }

        /** Sets {@link RetryConfig#budgetPercent()}: 0 to 100. */
        @JsonProperty("budgetPercent")
        public Builder budgetPercent(int percent) {
            this.budgetPercent = ConfigException.requireRange("budgetPercent", percent, 0, 100, "");
            return this;
        }

        /** Sets {@link RetryConfig#minRetriesPerSecond()}: 0 to 1000. */
        @JsonProperty("minRetriesPerSecond")
        public Builder minRetriesPerSecond(int perSecond) {
            this.minRetriesPerSecond = ConfigException.requireRange("minRetriesPerSecond", perSecond, 0, 1000, "");
            return this;
        }

        /** Sets {@link RetryConfig#replayBodySize()}: 0 (keep none) to 16MB. */
        @JsonProperty("replayBodySize")
        @JsonDeserialize(using = ConfigValues.DataSizeDeserializer.class)
        public Builder replayBodySize(int bytes) {
            this.replayBodySize = DataSizes.require("replayBodySize", bytes, 0, MAX_REPLAY_BODY_SIZE,
                    "from 0, which keeps no body, to 16MB");
            return this;
        }

        /** Sets {@link RetryConfig#onStatuses()}: each from 500 to 599. */
        @JsonProperty("onStatuses")
        public Builder onStatuses(List<Integer> statuses) {
            this.onStatuses = ConfigException.requireStatuses("onStatuses", statuses, 500, 599,
                    "an upstream error status", "[502, 503, 504]");
            return this;
        }

        /** @return the retry settings */
        public RetryConfig build() {
            return new RetryConfig(maxAttempts, idempotentMethods, budgetPercent, minRetriesPerSecond, replayBodySize,
                    onStatuses);
        }
    }
}
