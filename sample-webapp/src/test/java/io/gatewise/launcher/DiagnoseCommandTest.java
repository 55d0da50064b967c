package io.gatewise.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gatewise.faults.ClosedPort;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --diagnose}, run in-process: one line per step, the verdict and hints, the JSON of the
 * admin API, and the exit codes (0 all passed, 1 one failed, 2 a wrong command line), against a
 * real loopback upstream and a refused port.
 */
class DiagnoseCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private HttpServer healthy;
    private String healthyUrl;
    private String refusedUrl;

    @BeforeEach
    void start() throws Exception {
        healthy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        healthy.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Server", "orders/1.2");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        healthy.start();
        healthyUrl = "http://127.0.0.1:" + healthy.getAddress().getPort();
        refusedUrl = "http://127.0.0.1:" + ClosedPort.find();
    }

    @AfterEach
    void stop() {
        healthy.stop(0);
    }

    private int run(String... args) throws Exception {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String config(String... upstreams) throws Exception {
        List<String> urls = new ArrayList<>();
        for (String upstream : upstreams) {
            urls.add("{ url: " + upstream + " }");
        }
        return Files.writeString(dir.resolve("gateway.yaml"), "routes:\n  - path: /api/\n    upstreams: ["
                + String.join(", ", urls) + "]\n").toString();
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRouteWhoseUpstreamsAllPassExitsZeroWithOneLinePerStep() throws Exception {
        assertThat(run("--diagnose", "/api/", "--config", config(healthyUrl))).isEqualTo(Main.OK);

        List<String> lines = output().lines().toList();
        assertThat(lines.get(0)).isEqualTo("/api/ " + healthyUrl);
        assertThat(lines.get(1)).matches("  resolve  ok +\\d+ ms  127\\.0\\.0\\.1 -> 127\\.0\\.0\\.1 \\(not cached\\)");
        assertThat(lines.get(2)).matches("  connect  ok +\\d+ ms  127\\.0\\.0\\.1:\\d+");
        assertThat(lines.get(3)).isEqualTo("  tls      skip         not an https upstream");
        assertThat(lines.get(4)).matches("  http     ok +\\d+ ms  HEAD / -> 200 \\(Server: orders/1\\.2\\)");
        assertThat(lines.get(5)).isEqualTo("  verdict  ok");
        assertThat(lines.get(6)).isEqualTo("every upstream passed");
    }

    @Test
    void aFailedUpstreamExitsOneWithTheVerdictAndTheHints() throws Exception {
        assertThat(run("--diagnose", "/api/", "--config", config(healthyUrl, refusedUrl))).isEqualTo(
                Main.UPSTREAM_FAILED);

        assertThat(output()).contains("/api/ " + refusedUrl + "\n")
                .containsPattern("  connect  FAIL +\\d+ ms  127\\.0\\.0\\.1:\\d+ refused\n")
                .contains("  http     skip\n")
                .contains("  verdict  FAILED connection_refused (cause upstream_down, phase connect): connection refused\n")
                .contains("  hint     Check that the upstream process is running")
                .endsWith("1 of 2 upstream(s) failed\n");
    }

    @Test
    void jsonIsTheAdminApisShape() throws Exception {
        assertThat(run("--diagnose", "/api/", "--config", config(refusedUrl), "--json")).isEqualTo(
                Main.UPSTREAM_FAILED);

        JsonNode json = new ObjectMapper().readTree(output());
        assertThat(json.get("route").asText()).isEqualTo("/api/");
        JsonNode upstream = json.get("upstreams").get(0);
        assertThat(upstream.get("url").asText()).isEqualTo(refusedUrl);
        assertThat(upstream.get("steps")).extracting(step -> step.get("step").asText())
                .containsExactly("resolve", "connect", "tls", "http");
        assertThat(upstream.get("verdict").get("error_type").asText()).isEqualTo("connection_refused");
        assertThat(upstream.get("verdict").get("phase").asText()).isEqualTo("connect");
        assertThat(upstream.get("hints")).isNotEmpty();
    }

    @Test
    void aUrlIsDiagnosedWithDefaultSettingsAndChineseHintsOnRequest() throws Exception {
        assertThat(run("--diagnose", refusedUrl, "--lang", "zh")).isEqualTo(Main.UPSTREAM_FAILED);

        assertThat(output()).startsWith(refusedUrl + "\n").contains("  hint     确认上游进程正在运行");
    }

    @Test
    void wrongCommandLinesExitTwoAndSayWhy() throws Exception {
        assertThat(run("--diagnose", "/api/")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--diagnose /api/ needs --config FILE");
        err.reset();
        assertThat(run("--diagnose", "orders.internal")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("expected: a route path such as /api/, or an http://");
        err.reset();
        assertThat(run("--json")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--json goes with --diagnose");
        err.reset();
        assertThat(run("--diagnose", refusedUrl, "--lang", "fr")).isEqualTo(Main.USAGE);
        err.reset();
        String file = config(healthyUrl);
        assertThat(run("--diagnose", "/nope/", "--config", file)).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no route /nope/ in " + file
                + " (expected one of: [/api/])");
        assertThat(output()).isEmpty();
    }
}
