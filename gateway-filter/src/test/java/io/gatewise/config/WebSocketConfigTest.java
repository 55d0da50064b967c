package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code routes[].websocket}: its defaults, what loads, and where each mistake is reported. */
class WebSocketConfigTest {
    private static String yaml(String websocket) {
        return String.join("\n",
                "routes:",
                "  - path: /live/",
                websocket,
                "    upstreams:",
                "      - url: http://127.0.0.1:9001",
                "");
    }

    private static WebSocketConfig load(String websocket) {
        return ConfigLoader.parse(yaml(websocket), "g.yaml").routes().get(0).websocket();
    }

    @Test
    void aRouteCarriesWebSocketByDefaultWithFiveMinutesIdleAndOneMegabyteMessages() {
        WebSocketConfig settings = load("    stripPrefix: false");

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxMessageSize()).isEqualTo(1024 * 1024);
    }

    @Test
    void theContractsKeysLoad() {
        WebSocketConfig settings = load(String.join("\n",
                "    websocket:",
                "      enabled: false",
                "      idleTimeout: 90s",
                "      maxMessageSize: 64KB"));

        assertThat(settings).isEqualTo(new WebSocketConfig(false, Duration.ofSeconds(90), 64 * 1024));
        assertThat(settings.toString()).isEqualTo("{enabled: false, idleTimeout: 90s, maxMessageSize: 64KB}");
    }

    @Test
    void eachMistakeIsReportedWhereItIs() {
        assertThatThrownBy(() -> load("    websocket:\n      idleTimeout: 0s"))
                .hasMessageStartingWith("g.yaml:4:20: routes[0].websocket.idleTimeout: 0s is not positive");
        assertThatThrownBy(() -> load("    websocket:\n      idleTimeout: 500ms"))
                .hasMessageContaining("routes[0].websocket.idleTimeout: 500ms (expected: from 1s to 24h)");
        assertThatThrownBy(() -> load("    websocket:\n      maxMessageSize: 10"))
                .hasMessageContaining("routes[0].websocket.maxMessageSize: 10 (expected: from 1KB to 256MB)");
        assertThatThrownBy(() -> load("    websocket:\n      maxMessageSize: 1GB"))
                .hasMessageContaining("routes[0].websocket.maxMessageSize");
        assertThatThrownBy(() -> load("    websocket:\n      idle: 5m"))
                .hasMessageContaining("routes[0].websocket.idle")
                .hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> load("    websocket: yes"))
                .hasMessageContaining("routes[0].websocket");
    }
}
