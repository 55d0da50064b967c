package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Values written to break the gateway rather than to run it: each ends in one short, located message. */
class HostileConfigTest {
    private static final String ROUTES = "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n";

    @Test
    void durationTooLongForTheTimersIsRejectedWhereItIsWritten() {
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    timeouts: { response: PT99999999999999H }\n",
                "g.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("g.yaml:4:27: routes[0].timeouts.response: PT99999999999999H (expected: from 1ms to 24h)");
    }

    @Test
    void everyDurationIsBoundedByADay() {
        String[] routeSections = {"timeouts: { resolve: %s }", "timeouts: { connect: %s }",
            "timeouts: { response: %s }", "timeouts: { idle: %s }", "ejection: { baseTime: %s, maxTime: 24h }",
            "ejection: { maxTime: %s }", "circuitBreaker: { openFor: %s }", "healthCheck: { path: /h, interval: %s }",
            "healthCheck: { path: /h, timeout: %s }"};
        for (String section : routeSections) {
            assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    " + String.format(section, "1441m") + "\n",
                    "g.yaml"))
                    .as(section)
                    .hasMessageEndingWith(": 1441m (expected: from 1ms to 24h)");
            assertThat(ConfigLoader.parse(ROUTES + "    " + String.format(section, "24h") + "\n", "g.yaml"))
                    .as(section).isNotNull();
        }
        assertThatThrownBy(() -> ConfigLoader.parse("gateway: { dnsCache: { ttl: 25h } }\n" + ROUTES, "g.yaml"))
                .hasMessage("g.yaml:1:29: gateway.dnsCache.ttl: 25h (expected: from 0s to 24h)");
        assertThatThrownBy(() -> ConfigLoader.parse("gateway: { dnsCache: { keepStale: PT99999999999999H } }\n"
                + ROUTES, "g.yaml"))
                .hasMessage("g.yaml:1:35: gateway.dnsCache.keepStale: PT99999999999999H (expected: from 0s to 24h)");
        assertThatThrownBy(() -> ConfigLoader.parse("errorPages: { retryAfter: 25h }\n" + ROUTES, "g.yaml"))
                .hasMessage("g.yaml:1:27: errorPages.retryAfter: 25h (expected: from 1s to 24h)");
        assertThatThrownBy(() -> ConfigLoader.parse("errorPages: { retryAfter: 500ms }\n" + ROUTES, "g.yaml"))
                .hasMessage("g.yaml:1:27: errorPages.retryAfter: 500ms (expected: from 1s to 24h)");
    }

    @Test
    void builtInCodeTheBoundsHoldToo() {
        assertThatThrownBy(() -> TimeoutsConfig.builder().idle(Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("idle: PT2562047788015215H30M7S (expected: from 1ms to 24h)");
        assertThat(TimeoutsConfig.builder().idle(Durations.MAX).build().idle()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void durationBelowAMillisecondIsNotTakenForNoTimeout() {
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    timeouts: { idle: PT0.0001S }\n", "g.yaml"))
                .hasMessage("g.yaml:4:23: routes[0].timeouts.idle: PT0.0001S (expected: from 1ms to 24h)");
    }

    @Test
    void durationThatOverflowsWhileReadIsLocated() {
        for (String value : new String[] {"9999999999999999h", "PT99999999999999999H", "99999999999999999999h",
            "-9223372036854775808m"}) {
            assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    timeouts: { idle: " + value + " }\n", "g.yaml"))
                    .as(value)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("g.yaml:4:23: routes[0].timeouts.idle: \"" + value + "\" is out of range (expected: a"
                            + " duration such as 500ms, 2s, 1m or 1h, up to 24h)");
        }
    }
}
