package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.gatewise.testing.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String EXAMPLE = String.join("\n",
            "gateway:",
            "  name: edge-1          # the name this gateway uses in Proxy-Status and Via",
            "  port: 8080",
            "routes:",
            "  - path: /api/",
            "    upstreams:",
            "      - url: http://127.0.0.1:9001",
            "    timeouts: { connect: 2s, response: 30s, idle: 30s }",
            "");

    @TempDir
    Path dir;

    @Test
    void theDocumentedExampleLoadsAsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.yaml"), EXAMPLE);

        GatewayConfig config = ConfigLoader.load(file);

        assertThat(config.gateway().name()).isEqualTo("edge-1");
        assertThat(config.gateway().port()).isEqualTo(8080);
        assertThat(config.routes()).hasSize(1);
        RouteConfig route = config.routes().get(0);
        assertThat(route.path()).isEqualTo("/api/");
        assertThat(route.prefix()).isEqualTo("/api");
        assertThat(route.upstreams()).extracting(UpstreamConfig::origin).containsExactly("http://127.0.0.1:9001");
        assertThat(route.timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
        assertThat(route.timeouts().response()).isEqualTo(Duration.ofSeconds(30));
        assertThat(route.timeouts().idle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(route.limits()).isEqualTo(LimitsConfig.defaults());
    }

    @Test
    void fileAndBuilderProduceTheSameObject() {
        GatewayConfig built = GatewayConfig.builder()
                .gateway(ServerConfig.builder().name("edge-1").port(8080).build())
                .route(RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:9001")
                        .timeouts(TimeoutsConfig.builder().connect(Duration.ofSeconds(2)).response(Duration.ofSeconds(30))
                                .idle(Duration.ofSeconds(30)).build())
                        .build())
                .build();

        assertThat(ConfigLoader.parse(EXAMPLE, "gateway.yaml")).isEqualTo(built);
    }

    @Test
    void everySettingCanBeWritten() {
        GatewayConfig config = ConfigLoader.parse(String.join("\n",
                "gateway: { name: edge-2, host: 127.0.0.1, port: 0 }",
                "routes:",
                "  - path: /",
                "    upstreams: [ { url: 'https://backend.example:8443/base/' } ]",
                "    stripPrefix: true",
                "    timeouts: { connect: 500ms, response: 1m, idle: PT10S }",
                "    limits: { maxConnections: 16, maxResponseHeaderSize: 32KB }"), "all.yaml");

        RouteConfig route = config.routes().get(0);
        assertThat(config.gateway().host()).isEqualTo("127.0.0.1");
        assertThat(config.gateway().port()).isZero();
        assertThat(route.stripPrefix()).isTrue();
        assertThat(route.upstreams().get(0).basePath()).isEqualTo("/base");
        assertThat(route.upstreams().get(0).port()).isEqualTo(8443);
        assertThat(route.timeouts().connect()).isEqualTo(Duration.ofMillis(500));
        assertThat(route.timeouts().response()).isEqualTo(Duration.ofMinutes(1));
        assertThat(route.timeouts().idle()).isEqualTo(Duration.ofSeconds(10));
        assertThat(route.limits().maxConnections()).isEqualTo(16);
        assertThat(route.limits().maxResponseHeaderSize()).isEqualTo(32 * 1024);
    }

    @Test
    void unknownKeyNamesFileLineColumnKeyAndTheKnownKeys() {
        String yaml = EXAMPLE.replace("    timeouts:", "    timout:");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gateway.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:8:5: routes[0].timout: unknown key (expected one of: "
                        + String.join(", ", ConfigLoader.knownKeys(RouteConfig.class)) + ")");
        assertThat(ConfigLoader.knownKeys(RouteConfig.class)).as("the loader's own list, read from the builder")
                .contains("path", "upstreams", "timeouts", "retries", "rewriteLocation").doesNotContain("timout")
                .hasSizeGreaterThan(10);
    }

    @Test
    void malformedUrlNamesItsPlaceAndWhatWasExpected() {
        String yaml = EXAMPLE.replace("http://127.0.0.1:9001", "http//127.0.0.1:9001");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gateway.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:7:14: routes[0].upstreams[0].url: \"http//127.0.0.1:9001\" has no scheme"
                        + " (expected: an http or https URL such as http://127.0.0.1:9001)");
    }

    @Test
    void urlWithABadCharacterIsMalformed() {
        String yaml = EXAMPLE.replace("http://127.0.0.1:9001", "http://127.0.0.1:90 01");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gateway.yaml"))
                .hasMessageStartingWith("gateway.yaml:7:14: routes[0].upstreams[0].url: \"http://127.0.0.1:90 01\""
                        + " is malformed");
    }

    @Test
    void missingRoutesStopWithOneMessage() {
        String yaml = "gateway:\n  name: edge-1\n";

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gateway.yaml"))
                .hasMessageStartingWith("gateway.yaml:")
                .hasMessageContaining(": routes: missing (expected: at least one route with a path and upstreams)");
    }

    @Test
    void emptyRouteListIsMissingRoutes() {
        assertThatThrownBy(() -> ConfigLoader.parse("routes: []\n", "gateway.yaml"))
                .hasMessage("gateway.yaml:1:1: routes: missing (expected: at least one route with a path and"
                        + " upstreams)");
    }

    @Test
    void duplicatePathPointsAtTheSecondOne() {
        String yaml = EXAMPLE + "  - path: /api\n    upstreams: [ { url: http://127.0.0.1:9002 } ]\n";

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gateway.yaml"))
                .hasMessage("gateway.yaml:9:11: routes[1].path: \"/api\" duplicates routes[0].path (expected: each"
                        + " path once)");
    }

    @Test
    void negativeTimeoutPointsAtTheValue() {
        String yaml = EXAMPLE.replace("connect: 2s", "connect: -2s");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gateway.yaml"))
                .hasMessage("gateway.yaml:8:26: routes[0].timeouts.connect: -2s is not positive (expected: a duration"
                        + " such as 500ms, 2s, 1m or 1h, greater than zero)");
    }

    @Test
    void unreadableDurationPointsAtTheValue() {
        String yaml = EXAMPLE.replace("idle: 30s", "idle: soon");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gateway.yaml"))
                .hasMessage("gateway.yaml:8:51: routes[0].timeouts.idle: \"soon\" is not a duration (expected: a"
                        + " duration such as 500ms, 2s, 1m or 1h)");
    }

    @Test
    void wrongKindOfValueSaysWhatWasExpected() {
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("port: 8080", "port: eighty"), "g.yaml"))
                .hasMessage("g.yaml:3:9: gateway.port: \"eighty\" (expected: a whole number)");
        assertThatThrownBy(() -> ConfigLoader.parse("routes: /api/\n", "g.yaml"))
                .hasMessage("g.yaml:1:9: routes: \"/api/\" (expected: a list)");
    }

    @Test
    void outOfRangePortAndBadNameAreRejected() {
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("port: 8080", "port: 70000"), "g.yaml"))
                .hasMessage("g.yaml:3:9: gateway.port: 70000 (expected: 0 to 65535; 0 picks a free port)");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("name: edge-1", "name: \"edge 1\""), "g.yaml"))
                .hasMessageStartingWith("g.yaml:2:9: gateway.name: \"edge 1\" (expected: a token");
    }

    @Test
    void routeWithoutUpstreamsIsRejected() {
        assertThatThrownBy(() -> ConfigLoader.parse("routes:\n  - path: /api/\n", "g.yaml"))
                .hasMessageStartingWith("g.yaml:2:5: routes[0].upstreams: missing (expected: a list with one");
    }

    @Test
    void badPathsAreRejected() {
        for (String path : new String[] {"api/", "/api/*", "/a/../b", "/a?x=1", "/a//b"}) {
            assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("path: /api/", "path: \"" + path + "\""),
                    "g.yaml"))
                    .as(path)
                    .hasMessageStartingWith("g.yaml:5:11: routes[0].path: \"" + path + "\" (expected: a path prefix");
        }
    }

    @Test
    void duplicateKeyIsRejected() {
        String yaml = EXAMPLE.replace("  port: 8080", "  port: 8080\n  port: 8081");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "g.yaml"))
                .hasMessage("g.yaml:4:3: gateway.port: duplicate key (expected: each key once per mapping)");
    }

    @Test
    void brokenYamlSaysWhere() {
        assertThatThrownBy(() -> ConfigLoader.parse("routes:\n\t- path: /api\n", "g.yaml"))
                .hasMessageStartingWith("g.yaml:2:1: ")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void emptyAndMissingFilesAreExplained() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(Files.writeString(dir.resolve("empty.yaml"), "")))
                .hasMessageEndingWith("empty.yaml: the file is empty (expected: a gateway section and a list of"
                        + " routes)");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
                .hasMessageEndingWith("nope.yaml: no such file (expected: a YAML config file; see docs/configuration.md for"
                        + " its shape)");
    }

    @Test
    void sizesAcceptUnitsAndRejectNonsense() {
        String base = EXAMPLE + "    limits: { maxResponseHeaderSize: %s }\n";
        assertThat(ConfigLoader.parse(String.format(base, "8192"), "g.yaml").routes().get(0).limits()
                .maxResponseHeaderSize()).isEqualTo(8192);
        assertThatThrownBy(() -> ConfigLoader.parse(String.format(base, "lots"), "g.yaml"))
                .hasMessage("g.yaml:9:38: routes[0].limits.maxResponseHeaderSize: \"lots\" is not a size (expected: a"
                        + " size such as 8192, 16KB or 1MB)");
        assertThatThrownBy(() -> ConfigLoader.parse(String.format(base, "10"), "g.yaml"))
                .hasMessage("g.yaml:9:38: routes[0].limits.maxResponseHeaderSize: 10 (expected: from 1KB to 1MB)");
    }

    @Test
    void failureHandlingSettingsCanBeWritten() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), TestCertificates.caPem());
        GatewayConfig config = ConfigLoader.parse(String.join("\n",
                "gateway:",
                "  name: edge-1",
                "  noRouteStatus: 404",
                "  prohibitedAddresses: [169.254.0.0/16, 'fe80::/10']",
                "  accessLog: '-'",
                "  dnsCache: { ttl: 10s, keepStale: 0s }",
                "routes:",
                "  - path: /api/",
                "    upstreams: [ { url: https://127.0.0.1:9443 } ]",
                "    timeouts: { resolve: 2s }",
                "    limits: { maxResponseBodySize: 10MB }",
                "    tls: { caFile: '" + ca + "' }"), "g.yaml");

        assertThat(config.gateway().noRouteStatus()).isEqualTo(404);
        assertThat(config.gateway().prohibitedAddresses()).containsExactly("169.254.0.0/16", "fe80::/10");
        assertThat(config.gateway().accessLog()).isEqualTo("-");
        assertThat(config.gateway().dnsCache()).isEqualTo(DnsCacheConfig.builder().ttl(Duration.ofSeconds(10))
                .keepStale(Duration.ZERO).build());
        RouteConfig route = config.routes().get(0);
        assertThat(route.timeouts().resolve()).isEqualTo(Duration.ofSeconds(2));
        assertThat(route.limits().maxResponseBodySize()).isEqualTo(10 * 1024 * 1024);
        assertThat(route.tls().caFile()).contains(ca);
        assertThat(route.tls().trustStore()).isPresent();
        assertThat(LimitsConfig.defaults().maxResponseBodySize()).as("no body limit by default").isEqualTo(-1);
    }

    @Test
    void badFailureHandlingSettingsSayWhatWasExpected() {
        assertThatThrownBy(() -> ConfigLoader.parse("gateway: { noRouteStatus: 418 }\n" + ROUTES, "g.yaml"))
                .hasMessage("g.yaml:1:27: gateway.noRouteStatus: 418 (expected: 500 or 404)");
        assertThatThrownBy(() -> ConfigLoader.parse("gateway: { prohibitedAddresses: [127.0.0.0/99] }\n" + ROUTES,
                "g.yaml"))
                .hasMessageStartingWith("g.yaml:1:34: gateway.prohibitedAddresses[0]: \"127.0.0.0/99\" (expected: an"
                        + " address or CIDR");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    tls: { caFile: /no/such/ca.pem }\n", "g.yaml"))
                .hasMessage("g.yaml:4:20: routes[0].tls.caFile: \"/no/such/ca.pem\": no such file (expected: a PEM"
                        + " file of CA certificates)");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    limits: { maxResponseBodySize: 0 }\n", "g.yaml"))
                .hasMessageContaining("routes[0].limits.maxResponseBodySize: 0 (expected: a size of at least 1 byte");
    }

    @Test
    void preventionSettingsFromAFileEqualTheBuilderOnes() {
        GatewayConfig parsed = ConfigLoader.parse(String.join("\n",
                "routes:",
                "  - path: /api/",
                "    upstreams:",
                "      - url: http://127.0.0.1:9001",
                "      - { url: http://127.0.0.1:9002, weight: 2 }",
                "      - { url: http://127.0.0.1:9003, backup: true }",
                "    loadBalancing: least-in-flight",
                "    retries: { maxAttempts: 2, idempotentMethods: [get, PUT], budgetPercent: 10,"
                        + " minRetriesPerSecond: 1, replayBodySize: 1MB, onStatuses: [502, 503] }",
                "    ejection: { consecutiveFailures: 3, baseTime: 10s, maxTime: 1m, maxEjectedPercent: 34 }",
                "    healthCheck: { path: /healthz, interval: 5s, timeout: 1s, healthyThreshold: 2,"
                        + " unhealthyThreshold: 3, expectedStatus: 204 }",
                "    circuitBreaker: { failureRateThreshold: 60, minimumCalls: 5, windowSize: 10, openFor: 20s,"
                        + " halfOpenCalls: 2 }",
                "    maintenance: true"), "prevention.yaml");

        RouteConfig built = RouteConfig.builder().path("/api/")
                .upstreams(List.of(UpstreamConfig.builder().url("http://127.0.0.1:9001").build(),
                        UpstreamConfig.builder().url("http://127.0.0.1:9002").weight(2).build(),
                        UpstreamConfig.builder().url("http://127.0.0.1:9003").backup(true).build()))
                .loadBalancing(LoadBalancingConfig.LEAST_IN_FLIGHT)
                .retries(RetryConfig.builder().maxAttempts(2).idempotentMethods(List.of("GET", "PUT")).budgetPercent(10)
                        .minRetriesPerSecond(1).replayBodySize(1024 * 1024).onStatuses(List.of(503, 502)).build())
                .ejection(EjectionConfig.builder().consecutiveFailures(3).baseTime(Duration.ofSeconds(10))
                        .maxTime(Duration.ofMinutes(1)).maxEjectedPercent(34).build())
                .healthCheck(HealthCheckConfig.builder().path("/healthz").interval(Duration.ofSeconds(5))
                        .timeout(Duration.ofSeconds(1)).healthyThreshold(2).unhealthyThreshold(3).expectedStatus(204)
                        .build())
                .circuitBreaker(CircuitBreakerConfig.builder().failureRateThreshold(60).minimumCalls(5).windowSize(10)
                        .openFor(Duration.ofSeconds(20)).halfOpenCalls(2).build())
                .maintenance(true)
                .build();
        assertThat(parsed.routes()).containsExactly(built);
    }

    @Test
    void badPreventionSettingsSayWhatWasExpected() {
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    retries: { budgetPercent: 150 }\n", "g.yaml"))
                .hasMessageContaining("routes[0].retries.budgetPercent: 150 (expected: 0 to 100)");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    errorPageTemplates: ''\n", "g.yaml"))
                .as("an empty path would make the working directory the template folder")
                .hasMessageContaining("routes[0].errorPageTemplates: empty (expected: a folder of error page templates)");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    interceptStatuses: [502, 302]\n", "g.yaml"))
                .hasMessageContaining("routes[0].interceptStatuses[1]: 302 (expected: a status from 400 to 599)");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    retries: { onStatuses: [503, 404] }\n", "g.yaml"))
                .hasMessageContaining("routes[0].retries.onStatuses[1]: 404 (expected: an upstream error status"
                        + " from 500 to 599)");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    retries: { replayBodySize: 17MB }\n", "g.yaml"))
                .hasMessageContaining("routes[0].retries.replayBodySize: 17MB (expected: from 0, which keeps no body,"
                        + " to 16MB)");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    retries: { maxAttempts: 0 }\n", "g.yaml"))
                .hasMessageContaining("routes[0].retries.maxAttempts: 0 (expected: 1 to 10");
        assertThatThrownBy(() -> ConfigLoader.parse("gateway: { dnsCache: { ttl: -1s } }\n" + ROUTES, "g.yaml"))
                .hasMessageContaining("gateway.dnsCache.ttl: -1s (expected: a duration such as 30s, or 0s)");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    loadBalancing: random\n", "g.yaml"))
                .hasMessageContaining("routes[0].loadBalancing");
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    retries: { idempotentMethods: [G E T] }\n",
                "g.yaml")).hasMessageContaining("routes[0].retries.idempotentMethods[0]: \"G E T\"");
    }

    @Test
    void caFileThatIsNotPemIsRejected() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "this is not a certificate\n");

        assertThatThrownBy(() -> ConfigLoader.parse(ROUTES + "    tls: { caFile: '" + notPem + "' }\n", "g.yaml"))
                .hasMessageContaining("routes[0].tls.caFile: \"" + notPem + "\"")
                .hasMessageContaining("(expected: a PEM file of CA certificates)");
    }

    private static final String ROUTES = "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n";

    @Test
    void errorPagesDispatchIsTheGatewayUnlessTheContainerIsNamed() {
        assertThat(ConfigLoader.parse(ROUTES, "g.yaml").errorPages().dispatch())
                .isEqualTo(ErrorPagesConfig.Dispatch.GATEWAY)
                .isEqualTo(ErrorPagesConfig.defaults().dispatch());
        assertThat(ConfigLoader.parse("errorPages: { dispatch: container }\n" + ROUTES, "g.yaml").errorPages())
                .isEqualTo(ErrorPagesConfig.builder().dispatch(ErrorPagesConfig.Dispatch.CONTAINER).build());
        assertThat(ConfigLoader.parse("errorPages: { dispatch: gateway }\n" + ROUTES, "g.yaml").errorPages()
                .dispatch()).isEqualTo(ErrorPagesConfig.Dispatch.GATEWAY);
        assertThat(ConfigLoader.parse("errorPages: { dispatch: Container }\n" + ROUTES, "g.yaml").errorPages()
                .dispatch()).as("any case").isEqualTo(ErrorPagesConfig.Dispatch.CONTAINER);
    }

    @Test
    void badErrorPagesDispatchNamesItsPlaceAndTheTwoValues() {
        assertThatThrownBy(() -> ConfigLoader.parse("errorPages:\n  dispatch: foo\n" + ROUTES, "g.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("g.yaml:2:13: errorPages.dispatch: \"foo\" (expected: gateway or container)");
        assertThatThrownBy(() -> ErrorPagesConfig.builder().dispatch("both"))
                .hasMessage("dispatch: \"both\" (expected: gateway or container)");
    }


}
