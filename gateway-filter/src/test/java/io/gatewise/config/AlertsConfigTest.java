package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The {@code alerts} section: the issue's example binds as written, each rule takes its defaults
 * or is turned off, and every bad value stops the load at its file, line, column and key, secrets
 * never shown.
 */
class AlertsConfigTest {
    private static final String ROUTES = "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n";

    private static GatewayConfig parse(String alerts) {
        return ConfigLoader.parse(ROUTES + alerts, "gateway.yaml");
    }

    @Test
    void theIssuesExampleBindsAsWritten() {
        AlertsConfig alerts = parse("""
                alerts:
                  webhooks:
                    - url: http://alerts.internal:9093/hook
                      secret: "a-webhook-secret-0123"
                  evaluationInterval: 10s
                  repeatInterval: 4h
                  rules:
                    routeErrorRate: { threshold: 5%, window: 5m, minRequests: 20, for: 1m }
                    routeDown: { for: 0s }
                    certificateExpiry: { within: 14d }
                    configReloadFailed: {}
                """).alerts().orElseThrow();

        assertThat(alerts.webhooks()).singleElement().satisfies(webhook -> {
            assertThat(webhook.url()).hasToString("http://alerts.internal:9093/hook");
            assertThat(webhook.secret()).contains("a-webhook-secret-0123");
            assertThat(webhook.label()).isEqualTo("alerts.internal:9093");
        });
        assertThat(alerts.evaluationInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(alerts.repeatInterval()).isEqualTo(Duration.ofHours(4));
        assertThat(alerts.rules().routeErrorRate().threshold()).isEqualTo(0.05);
        assertThat(alerts.rules().routeErrorRate().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(alerts.rules().routeErrorRate().minRequests()).isEqualTo(20);
        assertThat(alerts.rules().routeErrorRate().pendingFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(alerts.rules().routeDown().pendingFor()).isEqualTo(Duration.ZERO);
        assertThat(alerts.rules().certificateExpiry().within()).isEqualTo(Duration.ofDays(14));
        assertThat(alerts.rules().configReloadFailed().enabled()).isTrue();
        assertThat(alerts.toString()).as("the secret is never shown").doesNotContain("a-webhook-secret-0123")
                .contains("within: 14d");
    }

    @Test
    void anEmptySectionRunsEveryRuleWithItsDefaultsAndEachCanBeTurnedOff() {
        AlertsConfig defaults = parse("alerts: {}\n").alerts().orElseThrow();
        AlertsConfig off = parse("alerts:\n  rules:\n    routeDown: { enabled: false }\n"
                + "    routeErrorRate: { enabled: false, threshold: 0.2 }\n").alerts().orElseThrow();

        assertThat(defaults.webhooks()).isEmpty();
        assertThat(defaults.rules()).isEqualTo(AlertRulesConfig.defaults());
        assertThat(defaults.evaluationInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(off.rules().routeDown().enabled()).isFalse();
        assertThat(off.rules().routeErrorRate().enabled()).isFalse();
        assertThat(off.rules().routeErrorRate().threshold()).isEqualTo(0.2);
        assertThat(off.rules().certificateExpiry().enabled()).isTrue();
        assertThat(parse("").alerts()).as("no section, no alerts").isEmpty();
    }

    @Test
    void aWebhookThatIsNotHttpIsRefusedAtItsPlace() {
        assertThatThrownBy(() -> parse("alerts:\n  webhooks:\n    - url: ftp://alerts.internal/hook\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.yaml:6:")
                .hasMessageContaining("alerts.webhooks[0].url: \"ftp://alerts.internal/hook\" (expected: an http or"
                        + " https URL such as http://alerts.internal:9093/hook)");
        assertThatThrownBy(() -> parse("alerts:\n  webhooks:\n    - url: 'http:///hook'\n"))
                .hasMessageContaining("alerts.webhooks[0].url: \"http:///hook\" has no host");
        assertThatThrownBy(() -> parse("alerts:\n  webhooks:\n    - secret: abcdefghijklmnopq\n"))
                .hasMessageContaining("alerts.webhooks[0].url: missing");
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> parse("alerts:\n  webhooks:\n    - { url: 'http://a:1/h', secret: hunter2 }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.webhooks[0].secret: 7 characters (expected: 16 to 512 printable"
                        + " characters, no spaces)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void ruleValuesOutOfRangeSayWhatIsExpected() {
        assertThatThrownBy(() -> parse("alerts:\n  rules:\n    routeErrorRate: { threshold: 150% }\n"))
                .hasMessageStartingWith("gateway.yaml:6:")
                .hasMessageContaining("alerts.rules.routeErrorRate.threshold: \"150%\" (expected: a percentage such"
                        + " as 5%, or a ratio from 0 to 1 such as 0.05)");
        assertThatThrownBy(() -> parse("alerts:\n  rules:\n    routeErrorRate: { threshold: 5 }\n"))
                .hasMessageContaining("alerts.rules.routeErrorRate.threshold: \"5\"");
        assertThatThrownBy(() -> parse("alerts:\n  rules:\n    routeErrorRate: { window: 10m }\n"))
                .hasMessageContaining("alerts.rules.routeErrorRate.window: 10m (expected: from 10s to 5m");
        assertThatThrownBy(() -> parse("alerts:\n  rules:\n    routeDown: { for: -1s }\n"))
                .hasMessageContaining("alerts.rules.routeDown.for: -1s");
        assertThatThrownBy(() -> parse("alerts:\n  rules:\n    certificateExpiry: { within: 400d }\n"))
                .hasMessageContaining("alerts.rules.certificateExpiry.within: 400d (expected: from 1h to 365d");
        assertThatThrownBy(() -> parse("alerts:\n  repeatInterval: 10s\n"))
                .hasMessageContaining("alerts.repeatInterval: 10s (expected: from 1m to 24h)");
        assertThatThrownBy(() -> parse("alerts:\n  rules:\n    hostDown: {}\n"))
                .hasMessageContaining("alerts.rules.hostDown: unknown key (expected one of: certificateExpiry,"
                        + " configReloadFailed, routeDown, routeErrorRate)");
    }
}
