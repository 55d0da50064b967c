package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void veryLongBadPathIsRejectedWithAShortMessage() {
        String path = "/" + "a".repeat(10_000_000) + " ";

        assertThatThrownBy(() -> RouteConfig.builder().path(path))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("path: \"/aaaa")
                .hasMessageContaining("…\" (10000002 characters) (expected: a path prefix")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void pathOfManySegmentsIsCheckedWithoutOverflowingTheStack() {
        String path = "/a".repeat(5_000_000);

        assertThat(RouteConfig.builder().path(path + "/").upstream("http://127.0.0.1:9001").build().prefix())
                .isEqualTo(path);
        assertThatThrownBy(() -> RouteConfig.builder().path(path + "/*"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("…\" (10000002 characters) (expected: a path prefix");
    }

    @Test
    void longValueInAFileIsCutInItsMessage() {
        String path = "/" + "a".repeat(16_000) + "*";

        assertThatThrownBy(() -> ConfigLoader.parse("routes:\n  - path: \"" + path + "\"\n", "g.yaml"))
                .hasMessageStartingWith("g.yaml:2:11: routes[0].path: \"/aaaa")
                .hasMessageContaining("…\" (16002 characters) (expected: a path prefix")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
        assertThatThrownBy(() -> ConfigLoader.parse("gateway: { " + "k".repeat(16_000) + ": 1 }\n" + ROUTES, "g.yaml"))
                .hasMessageContaining("g.yaml:1:12: gateway.kkkk")
                .hasMessageContaining("… (16008 characters): unknown key (expected one of: accessLog,")
                // The list of known keys grows with the section; what is cut is the key.
                .satisfies(e -> assertThat(e.getMessage().replaceFirst("\\(expected one of: [^)]*\\)", ""))
                        .hasSizeLessThan(300));
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    loadBalancing: " + "k".repeat(16_000) + "\n", "g.yaml"))
                .hasMessageContaining("…\" (16000 characters) (expected: round-robin or least-in-flight)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void controlCharactersInAValueAreShownEscaped() {
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    loadBalancing: \"a\\tb\\u001b[31m\"\n", "g.yaml"))
                .hasMessage("g.yaml:4:20: routes[0].loadBalancing: \"a\\tb\\u001b[31m\" (expected: round-robin or"
                        + " least-in-flight)");
    }

    @Test
    void tooLargeFileIsRefusedBeforeItIsParsed() {
        String yaml = "routes:\n  - path: \"" + "/a".repeat(5_000_000) + "\"\n";

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "g.yaml"))
                .hasMessage("g.yaml: the file has 10000021 characters (expected: a config of at most 4194304"
                        + " characters)");
    }

    @Test
    void tooLargeFileIsNotReadWhole(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("big.yaml"), new byte[17 * 1024 * 1024]);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .hasMessageEndingWith("big.yaml: the file has 17825792 bytes (expected: a config of at most 4194304"
                        + " characters)");
    }

    @Test
    void tooLongLineIsRefusedBeforeItIsParsed() {
        String yaml = ROUTES + "# " + "x".repeat(20_000) + "\r\n    stripPrefix: true\n";

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "g.yaml"))
                .hasMessage("g.yaml:4:16385: line 4 has 20002 characters (expected: at most 16384 characters a line)");
        assertThat(ConfigLoader.parse(ROUTES + "# " + "x".repeat(16_000) + "\r\n    stripPrefix: true\n", "g.yaml")
                .routes().get(0).stripPrefix()).isTrue();
    }

    @Test
    void overlongNumberIsLocated() {
        assertThatThrownBy(() -> ConfigLoader.parse("gateway: { port: " + "1".repeat(1200) + " }\n" + ROUTES, "g.yaml"))
                .hasMessageStartingWith("g.yaml:1:18: gateway.port: too long or too deeply nested: ");
    }

    @Test
    void perUpstreamConnectionAndQueueLimitsAreBoundedWithALocatedMessage() {
        assertThatThrownBy(() -> ConfigLoader.parse("routes:\n  - path: /api/\n    upstreams: [{url: http://127.0.0.1:9001}]\n"
                + "    limits: { maxQueuedRequests: 2000000000 }\n", "g.yaml"))
                .hasMessage("g.yaml:4:34: routes[0].limits.maxQueuedRequests: 2000000000 (expected: 1 to 10000 per upstream)");
        assertThatThrownBy(() -> LimitsConfig.builder().maxConnections(10_001))
                .hasMessage("maxConnections: 10001 (expected: 1 to 10000 per upstream)");
        assertThat(LimitsConfig.builder().maxConnections(10_000).maxQueuedRequests(10_000).build().maxQueuedRequests())
                .isEqualTo(10_000);
    }

    @Test
    void anAliasIsNotExpanded() {
        assertThatThrownBy(() -> ConfigLoader.parse("routes:\n  - &r { path: /api/, upstreams: [ { url:"
                + " http://127.0.0.1:9001 } ] }\n  - *r\n", "g.yaml"))
                .hasMessage("g.yaml:3:5: routes[1]: \"r\" (expected: a mapping)");
    }

    @Test
    void ipv4MappedEntriesAreAcceptedInTheirIpv4Form() {
        GatewayConfig config = ConfigLoader.parse("gateway: { prohibitedAddresses: ['::ffff:127.0.0.3/128',"
                + " '::ffff:0:0/96', '::ffff:127.0.0.0/104', '::ffff:127.0.0.1-::ffff:127.0.0.9', 'fe80::/10'] }\n"
                + "errorPages: { operator: { trustedNetworks: ['::ffff:127.0.0.3/128', '::1'] } }\n" + ROUTES, "g.yaml");

        assertThat(config.gateway().prohibitedAddresses()).containsExactly("127.0.0.3/32", "0.0.0.0/0", "127.0.0.0/8",
                "127.0.0.1-127.0.0.9", "fe80::/10");
        assertThat(config.errorPages().trustedNetworks()).containsExactly("127.0.0.3/32", "::1");
        assertThatThrownBy(() -> ServerConfig.builder().prohibitedAddresses(java.util.List.of("::ffff:0:0/95")))
                .hasMessage("prohibitedAddresses[0]: \"::ffff:0:0/95\" (expected: a prefix length from 96 to 128 for"
                        + " an IPv4-mapped range, such as ::ffff:127.0.0.0/104)");
        assertThatThrownBy(() -> ServerConfig.builder().prohibitedAddresses(java.util.List.of("10.0.0.1/8")))
                .hasMessage("prohibitedAddresses[0]: \"10.0.0.1/8\" (expected: the range's network address: 10.0.0.1"
                        + " has host bits set past /8; write 10.0.0.0/8 for the range, or 10.0.0.1 alone for one address)");
        assertThatThrownBy(() -> ServerConfig.builder().trustedProxies(java.util.List.of("fd00::1/64")))
                .hasMessageContaining("write fd00:0:0:0:0:0:0:0/64 for the range");
        assertThatThrownBy(() -> ServerConfig.builder().prohibitedAddresses(java.util.List.of("::ffff:127.0.0.1/104")))
                .hasMessageContaining("write ::ffff:127.0.0.0/104 for the range");
        assertThat(ServerConfig.builder().prohibitedAddresses(java.util.List.of("10.0.0.0/8", "10.0.0.1/32", "::/0"))
                .build().prohibitedAddresses()).containsExactly("10.0.0.0/8", "10.0.0.1/32", "::/0");
    }

    @Test
    void upstreamHostInAnAmbiguousIpv4FormIsRefused() {
        String yaml = "routes:\n  - path: /api/\n    upstreams: [ { url: \"http://0177.0.0.2:80\" } ]\n";

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "g.yaml"))
                .hasMessage("g.yaml:3:25: routes[0].upstreams[0].url: \"http://0177.0.0.2:80\" (expected: an IPv4"
                        + " address without leading zeros, such as 127.0.0.2; 0177.0.0.2 is read differently by"
                        + " different programs)");
        String[][] cases = {
            {"http://127.1:9001", "of four decimal numbers, such as 127.0.0.1; 127.1 is read"},
            {"http://0x7f.1", "of four decimal numbers, such as 127.0.0.1; 0x7f.1 is read"},
            {"http://2130706434/", "of four decimal numbers, such as 127.0.0.2; 2130706434 is read"},
            {"http://127.0.0.01/", "without leading zeros, such as 127.0.0.1; 127.0.0.01 is read"},
            {"http://999.0.0.1/", "of four numbers from 0 to 255 without leading zeros, such as 127.0.0.1)"},
            {"http://[::ffff:0177.0.0.1]/", "an IPv6 address whose IPv4 part has four numbers"}};
        for (String[] bad : cases) {
            assertThatThrownBy(() -> UpstreamConfig.of(bad[0]))
                    .as(bad[0])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("url: \"" + bad[0] + "\" (expected: ")
                    .hasMessageContaining(bad[1]);
        }
        for (String good : new String[] {"http://127.0.0.2:9001", "http://[::ffff:127.0.0.1]:9001",
            "https://backend.example:8443", "http://10.0.0.5", "http://[fe80::1%25eth0]:80"}) {
            assertThat(UpstreamConfig.of(good).host()).as(good).isNotNull();
        }
    }

    @Test
    void addressListsRefuseAmbiguousIpv4FormsAndHostNames() {
        String[][] cases = {
            {"0177.0.0.1/32", "an IPv4 address without leading zeros, such as 127.0.0.1; 0177.0.0.1 is read"},
            {"127.1", "an IPv4 address of four decimal numbers, such as 127.0.0.1; 127.1 is read"},
            {"2130706433", "an IPv4 address of four decimal numbers, such as 127.0.0.1; 2130706433 is read"},
            {"localhost", "an address, not a host name"},
            {"10.0.0.0/33", "an address or CIDR range with a prefix length from 0 to 32, such as 10.0.0.0/8"},
            {"10.0.0.1-::1", "a range of two addresses of one family"}};
        for (String[] bad : cases) {
            assertThatThrownBy(() -> ConfigLoader.parse("errorPages: { operator: { trustedNetworks: ['" + bad[0]
                    + "'] } }\n" + ROUTES, "g.yaml"))
                    .as(bad[0])
                    .hasMessageStartingWith("g.yaml:1:45: errorPages.operator.trustedNetworks[0]: \"" + bad[0]
                            + "\" (expected: " + bad[1]);
        }
    }
}
