package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The harness's WebSocket echo scenarios end to end in smoke mode: Gatewise and nginx proxy the
 * harness's client to the Jetty echo upstream, and the direct baseline goes to the echo itself;
 * every message comes back whole, no connection fails, and the report and the raw rounds are
 * written. It checks what was served, never how fast.
 *
 * <p>Needs nginx (the harness's HTTP upstream, and a target here); skipped where it is missing.
 */
class LoadHarnessWebSocketSmokeIT {
    private static final Path OUT = Path.of("target/smoke-ws");

    @Test
    void theEchoIsServedThroughGatewiseNginxAndDirect() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx"))
                || Files.isExecutable(Path.of("/usr/bin/nginx")), "nginx is not installed");

        Process harness = new ProcessBuilder(Target.java(), "-cp", System.getProperty("benchmarks.jar"),
                LoadHarness.class.getName(), "--smoke", "--jar", System.getProperty("gatewise.jar"),
                "--scenarios", "ws", "--targets", "gatewise,nginx,jetty", "--out", OUT.toString())
                .redirectErrorStream(true).redirectOutput(Path.of("target/smoke-ws.log").toFile()).start();
        assertThat(harness.waitFor(5, TimeUnit.MINUTES)).as("the smoke run ends").isTrue();
        assertThat(harness.exitValue()).as(Files.readString(Path.of("target/smoke-ws.log"))).isZero();

        JsonNode results = new ObjectMapper().readTree(OUT.resolve("results.json").toFile());
        List<String> measured = new ArrayList<>();
        for (JsonNode row : results.get("rows")) {
            String where = row.get("target").asText() + " " + row.get("scenario").asText();
            measured.add(where);
            assertThat(row.get("requests").asLong()).as(where + " echoed messages").isPositive();
            assertThat(row.get("non2xx").asLong()).as(where + ": every echo whole and in order").isZero();
            assertThat(row.get("socketErrors").asLong()).as(where + ": no connection failed").isZero();
            assertThat(row.get("p99Millis").asDouble()).as(where + ": round trips measured").isPositive();
        }
        assertThat(measured).containsExactlyInAnyOrder("gatewise ws-64", "nginx-proxy ws-64", "direct ws-64",
                "gatewise ws-16k", "nginx-proxy ws-16k", "direct ws-16k");
        List<String> notes = new ArrayList<>();
        results.get("notes").forEach(note -> notes.add(note.asText()));
        assertThat(notes).as("Jetty's ProxyServlet is left out, with the reason").containsExactly(
                "jetty-proxyservlet ws-64: it proxies no WebSocket upgrade",
                "jetty-proxyservlet ws-16k: it proxies no WebSocket upgrade");
        assertThat(results.get("ratios")).as("Gatewise against nginx and direct, per message size").hasSize(4);
        assertThat(Files.readString(OUT.resolve("results.md"))).contains("| gatewise | ws-16k | 16 | nginx-proxy |",
                "| gatewise | ws-64 | 16 | direct |");
        assertThat(Files.readAllLines(OUT.resolve("rounds.csv"))).hasSize(1 + 6)
                .first().asString().startsWith("scenario,connections,round,target,requests_per_second,");
    }
}
