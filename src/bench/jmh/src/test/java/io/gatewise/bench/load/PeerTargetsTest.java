package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configs the harness gives HAProxy and Spring Cloud Gateway, read without starting them (the
 * smoke run of compare.sh starts them): the same three prefixes to the same upstreams as every
 * other target, and the settings the comparison promises.
 */
class PeerTargetsTest {
    private static final Target.Upstreams UPSTREAMS = new Target.Upstreams(8001, 8002, 8003, 1000);
    private static final Target.Upstreams WITH_GRPC = new Target.Upstreams(8001, 8002, 8003, 1000, 8004);
    private static final Target.Upstreams WITH_WEBSOCKET = new Target.Upstreams(8001, 8002, 8003, 1000, 0, 8005);

    @Test
    void haproxyRoutesTheThreePrefixesOnOneThreadWithoutRetries(@TempDir Path work) throws Exception {
        String config = Target.haproxyConfig(9000, UPSTREAMS, work);

        assertThat(config).contains("nbthread 1", "retries 0", "http-reuse always", "timeout connect 1000ms",
                "bind 127.0.0.1:9000", "use_backend ok if { path_beg /ok/ }",
                "use_backend refused if { path_beg /refused/ }", "use_backend blackhole if { path_beg /blackhole/ }",
                "server ok 127.0.0.1:8001", "server refused 127.0.0.1:8002", "server blackhole 127.0.0.1:8003",
                "errorfile 503 " + work.resolve("503.http"));
        assertThat(config).doesNotContain("check");
    }

    @Test
    void haproxyErrorfilesAreWholeResponsesThatKeepTheConnection(@TempDir Path work) throws Exception {
        Target.haproxyConfig(9000, UPSTREAMS, work);

        for (String code : new String[] {"502", "503", "504"}) {
            String response = Files.readString(work.resolve(code + ".http"), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 " + code + " ").doesNotContainIgnoringCase("connection:");
            int bodyStart = response.indexOf("\r\n\r\n") + 4;
            assertThat(response).contains("content-length: " + (response.length() - bodyStart) + "\r\n");
        }
    }

    @Test
    void springCloudGatewayGetsTheSameRoutesAndConnectTimeout() {
        assertThat(Target.scgArguments(9000, UPSTREAMS)).contains("--server.port=9000",
                "--spring.cloud.gateway.server.webflux.httpclient.connect-timeout=1000",
                "--spring.cloud.gateway.server.webflux.routes[0].uri=http://127.0.0.1:8001",
                "--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/ok/**",
                "--spring.cloud.gateway.server.webflux.routes[1].uri=http://127.0.0.1:8002",
                "--spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/refused/**",
                "--spring.cloud.gateway.server.webflux.routes[2].uri=http://127.0.0.1:8003",
                "--spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/blackhole/**");
    }

    @Test
    void nginxWithoutHttp2ScenariosHasOneHttp1Listener(@TempDir Path work) {
        String config = Target.nginxConfig(new Target.Listeners(9000, 0), UPSTREAMS, work, work, "1.22.1", 64);

        assertThat(config).contains("listen 127.0.0.1:9000;", "location /ok/ { proxy_pass http://ok; }")
                .doesNotContain("http2", "grpc");
    }

    @Test
    void nginxBefore1251TakesH2cOnAListenerOfItsOwnWithTheHttp2Parameter(@TempDir Path work) {
        String config = Target.nginxConfig(new Target.Listeners(9000, 9001), WITH_GRPC, work, work, "1.22.1", 64);

        assertThat(config).contains("listen 127.0.0.1:9000;", "listen 127.0.0.1:9001 http2;",
                "upstream grpc { server 127.0.0.1:8004; keepalive 64; }",
                "location /grpc.testing.SimpleService/ { grpc_pass grpc://grpc; }", "grpc_connect_timeout 1000ms;")
                .doesNotContain("http2 on;");
        // The h2c server proxies the same locations as the HTTP/1.1 one.
        String h2Server = config.substring(config.indexOf("listen 127.0.0.1:9001"));
        assertThat(h2Server).contains("location /ok/ { proxy_pass http://ok; }", "proxy_http_version 1.1;");
        assertThat(config.substring(0, config.indexOf("listen 127.0.0.1:9001"))).doesNotContain("grpc_pass");
    }

    @Test
    void nginxFrom1251SaysHttp2On(@TempDir Path work) {
        String config = Target.nginxConfig(new Target.Listeners(9000, 9001), WITH_GRPC, work, work, "1.25.1", 64);

        assertThat(config).contains("listen 127.0.0.1:9001;\n    http2 on;").doesNotContain(" http2;");
        assertThat(Target.nginxConfig(new Target.Listeners(9000, 9001), WITH_GRPC, work, work, "1.25.1", 1024))
                .contains("upstream ok { server 127.0.0.1:8001; keepalive 1024; }",
                        "upstream grpc { server 127.0.0.1:8004; keepalive 1024; }");
        assertThat(Target.compareVersions("1.22.1", "1.25.1")).isNegative();
        assertThat(Target.compareVersions("1.27", "1.25.1")).isPositive();
        assertThat(Target.compareVersions("1.25.1", "1.25.1")).isZero();
    }

    @Test
    void gatewiseRoutesGrpcOverH2OnlyWhenTheRunHasIt() {
        assertThat(Target.gatewiseConfig(9000, UPSTREAMS, "", "", false)).doesNotContain("protocol", "grpc");
        assertThat(Target.gatewiseConfig(9000, WITH_GRPC, "", "", true)).contains(
                "  - path: /grpc.testing.SimpleService/\n    protocol: h2\n"
                        + "    upstreams: [ { url: \"http://127.0.0.1:8004\" } ]\n"
                        + "    timeouts: { connect: 1000ms }\n");
    }

    @Test
    void onlyTheTracedGatewiseExportsSpansToTheSinkAtRatioOne() {
        Path jar = Path.of("gatewise.jar");
        assertThat(Target.gatewiseTraced(jar, java.util.List.of()).exportsSpans()).isTrue();
        assertThat(Target.gatewise(jar, java.util.List.of()).exportsSpans()).isFalse();
        assertThat(Target.gatewiseWithoutMetrics(jar, java.util.List.of()).exportsSpans()).isFalse();
        assertThat(Target.tracingSection(8006)).isEqualTo(
                "tracing: { enabled: true, endpoint: \"http://127.0.0.1:8006/v1/traces\", samplingRatio: 1.0 }\n");
        assertThat(Target.adminSection(9901)).startsWith("admin: { host: 127.0.0.1, port: 9901, token: ");
    }

    @Test
    void theWarmedUpGatewiseWaitsForItsReadinessAndTheOthersForTheirFirst200() {
        Path jar = Path.of("gatewise.jar");
        Target.Gatewise warm = Target.Gatewise.of(java.util.List.of()).warmedUpFor("10s");
        assertThat(warm.gatewaySettings()).isEqualTo(", warmup: 10s");
        assertThat(warm.admin()).isTrue();
        assertThat(Target.gatewise(jar, java.util.List.of()).readiness()).isNull();
        assertThat(Target.jetty(jar, java.util.List.of()).readiness()).isNull();
    }

    @Test
    void nginxPassesTheUpgradeToTheWebSocketEchoOnOneWorker(@TempDir Path work) {
        String config = Target.nginxConfig(new Target.Listeners(9000, 9001), WITH_WEBSOCKET, work, work, "1.22.1", 64);

        assertThat(config).contains("worker_processes 1;", "upstream ws { server 127.0.0.1:8005; }",
                "    location /ws/ {\n      proxy_pass http://ws;\n      proxy_http_version 1.1;\n"
                        + "      proxy_set_header Upgrade $http_upgrade;\n"
                        + "      proxy_set_header Connection \"upgrade\";\n");
        // On the HTTP/1.1 server only: WebSocket over HTTP/2 (RFC 8441) is not what is measured.
        assertThat(config.substring(config.indexOf("listen 127.0.0.1:9001"))).doesNotContain("/ws/");
        assertThat(Target.nginxConfig(new Target.Listeners(9000, 0), UPSTREAMS, work, work, "1.22.1", 64))
                .doesNotContain("/ws/", "Upgrade");
    }

    @Test
    void gatewiseRoutesTheWebSocketEchoOnlyWhenTheRunHasIt() {
        assertThat(Target.gatewiseConfig(9000, UPSTREAMS, "", "", false)).doesNotContain("/ws/");
        assertThat(Target.gatewiseConfig(9000, WITH_WEBSOCKET, "", "", false)).contains(
                "  - path: /ws/\n    upstreams: [ { url: \"http://127.0.0.1:8005\" } ]\n"
                        + "    timeouts: { connect: 1000ms }\n").doesNotContain("websocket");
    }

    @Test
    void onlyGatewiseNginxAndTheDirectBaselineAreSetUpForWebSocket() {
        Path jar = Path.of("gatewise.jar");
        assertThat(Target.gatewise(jar, java.util.List.of()).cannot(LoadHarness.Scenario.WS_64)).isNull();
        assertThat(Target.nginx("nginx", 64).cannot(LoadHarness.Scenario.WS_16K)).isNull();
        assertThat(Target.direct().cannot(LoadHarness.Scenario.WS_64)).isNull();
        assertThat(Target.direct().cannot(LoadHarness.Scenario.SMALL)).isNotNull();
        assertThat(Target.jetty(jar, java.util.List.of()).cannot(LoadHarness.Scenario.WS_64))
                .isEqualTo("it proxies no WebSocket upgrade");
        assertThat(Target.haproxy("haproxy").cannot(LoadHarness.Scenario.WS_64))
                .isEqualTo("no WebSocket route in its setup here");
    }
}
