package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's alerts: built-in rules evaluated on a schedule, and the webhooks that get what
 * fires, in Alertmanager's webhook (v4) format. Without this section no rule runs. A reload
 * applies every key of it.
 *
 * @param webhooks where alerts go, each in turn; empty to only list them at {@code /admin/alerts}
 * @param evaluationInterval how often the rules run: 1s to 24h (default
 *     {@link #DEFAULT_EVALUATION_INTERVAL})
 * @param repeatInterval how often an alert that still fires is sent again: 1m to 24h (default
 *     {@link #DEFAULT_REPEAT_INTERVAL})
 * @param rules the rules' settings (default {@link AlertRulesConfig#defaults()})
 */
@JsonDeserialize(builder = AlertsConfig.Builder.class)
public record AlertsConfig(List<AlertWebhookConfig> webhooks, Duration evaluationInterval, Duration repeatInterval,
        AlertRulesConfig rules) {
    /** Default {@code evaluationInterval}. */
    public static final Duration DEFAULT_EVALUATION_INTERVAL = Duration.ofSeconds(10);
    /** Default {@code repeatInterval}. */
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
    /** The most webhooks: each alert goes to each of them. */
    public static final int MAX_WEBHOOKS = 16;

    private static final Duration MIN_EVALUATION_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MIN_REPEAT_INTERVAL = Duration.ofMinutes(1);

    /** Copies the webhooks; the values are checked by the {@link Builder}. */
    public AlertsConfig {
        webhooks = List.copyOf(webhooks);
    }

    @Override
    public String toString() {
        return "{webhooks: " + webhooks + ", evaluationInterval: " + Durations.format(evaluationInterval)
                + ", repeatInterval: " + Durations.format(repeatInterval) + ", rules: " + rules + "}";
    }

    /** @return a builder starting from the defaults, without webhooks */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link AlertsConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private final List<AlertWebhookConfig> webhooks = new ArrayList<>();
        private Duration evaluationInterval = DEFAULT_EVALUATION_INTERVAL;
        private Duration repeatInterval = DEFAULT_REPEAT_INTERVAL;
        private AlertRulesConfig rules = AlertRulesConfig.defaults();

        private Builder() {
        }

        /** Replaces {@link AlertsConfig#webhooks()}: at most {@value AlertsConfig#MAX_WEBHOOKS}. */
        @JsonProperty("webhooks")
        public Builder webhooks(List<AlertWebhookConfig> webhooks) {
            if (webhooks == null) {
                throw ConfigException.invalid("webhooks", "empty (expected: a list such as [{ url:"
                        + " http://alerts.internal:9093/hook }])");
            }
            this.webhooks.clear();
            for (int i = 0; i < webhooks.size(); i++) {
                if (webhooks.get(i) == null) {
                    throw ConfigException.invalid("webhooks[" + i + "]", "an empty entry (expected: a webhook with"
                            + " a url)");
                }
                webhook(webhooks.get(i));
            }
            return this;
        }

        /** Adds a webhook. */
        public Builder webhook(AlertWebhookConfig webhook) {
            if (webhooks.size() == MAX_WEBHOOKS) {
                throw ConfigException.invalid("webhooks", "more than " + MAX_WEBHOOKS + " webhooks (expected: at most "
                        + MAX_WEBHOOKS + "; fan out with Alertmanager)");
            }
            webhooks.add(Objects.requireNonNull(webhook, "webhook"));
            return this;
        }

        /** Sets {@link AlertsConfig#evaluationInterval()}: 1s to 24h. */
        @JsonProperty("evaluationInterval")
        public Builder evaluationInterval(Duration interval) {
            this.evaluationInterval = Durations.requireBetween("evaluationInterval", interval,
                    MIN_EVALUATION_INTERVAL);
            return this;
        }

        /** Sets {@link AlertsConfig#repeatInterval()}: 1m to 24h. */
        @JsonProperty("repeatInterval")
        public Builder repeatInterval(Duration interval) {
            this.repeatInterval = Durations.requireBetween("repeatInterval", interval, MIN_REPEAT_INTERVAL);
            return this;
        }

        /** Sets {@link AlertsConfig#rules()}. */
        @JsonProperty("rules")
        public Builder rules(AlertRulesConfig rules) {
            this.rules = ConfigException.requireSection("rules", rules, "{ routeDown: { for: 0s } }");
            return this;
        }

        /** @return the alert settings */
        public AlertsConfig build() {
            return new AlertsConfig(webhooks, evaluationInterval, repeatInterval, rules);
        }
    }
}
