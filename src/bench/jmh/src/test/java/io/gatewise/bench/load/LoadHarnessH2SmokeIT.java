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
 * The harness's HTTP/2 scenarios end to end in smoke mode: Gatewise, Jetty's ProxyServlet and nginx
 * take h2c with prior knowledge from h2load; the small body goes to the nginx upstream, the unary
 * gRPC calls to the harness's grpc-java echo server, whose count of calls answered must cover
 * every success h2load counted. Jetty's ProxyServlet is left out of gRPC with the reason in the
 * report. It checks what was served, never how fast.
 *
 * <p>Needs h2load (Debian's nghttp2-client) and nginx; skipped where either is missing, under CI
 * too (CI installs neither for this).
 */
class LoadHarnessH2SmokeIT {
    private static final Path OUT = Path.of("target/smoke-h2");

    private static boolean installed(String tool) {
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/usr/bin", tool));
    }

    @Test
    void h2AndGrpcAreServedOverH2cByEveryTargetThatCan() throws Exception {
        Assumptions.assumeTrue(installed("h2load") && installed("nginx"), "h2load or nginx is not installed");

        Process harness = new ProcessBuilder(Target.java(), "-cp", System.getProperty("benchmarks.jar"),
                LoadHarness.class.getName(), "--smoke", "--jar", System.getProperty("gatewise.jar"),
                "--scenarios", "h2,grpc", "--targets", "gatewise,jetty,nginx", "--out", OUT.toString())
                .redirectErrorStream(true).redirectOutput(Path.of("target/smoke-h2.log").toFile()).start();
        assertThat(harness.waitFor(5, TimeUnit.MINUTES)).as("the smoke run ends").isTrue();
        assertThat(harness.exitValue()).as(Files.readString(Path.of("target/smoke-h2.log"))).isZero();

        JsonNode results = new ObjectMapper().readTree(OUT.resolve("results.json").toFile());
        List<String> measured = new ArrayList<>();
        for (JsonNode row : results.get("rows")) {
            String where = row.get("target").asText() + " " + row.get("scenario").asText();
            measured.add(where);
            assertThat(row.get("requests").asLong()).as(where + " served requests").isPositive();
            assertThat(row.get("non2xx").asLong()).as(where + ": every answer a success").isZero();
            assertThat(row.get("socketErrors").asLong()).as(where + ": no stream or connection failed").isZero();
            assertThat(row.get("p99Millis").asDouble()).as(where + ": percentiles from h2load's log").isPositive();
        }
        assertThat(measured).containsExactlyInAnyOrder("gatewise h2", "jetty-proxyservlet h2", "nginx-proxy h2",
                "gatewise grpc", "nginx-proxy grpc");
        List<String> notes = new ArrayList<>();
        results.get("notes").forEach(note -> notes.add(note.asText()));
        assertThat(notes).as("only Jetty's ProxyServlet is left out, of gRPC; no success the upstream did not answer")
                .singleElement().asString().startsWith("jetty-proxyservlet grpc: ");
        assertThat(results.get("ratios")).as("Gatewise against Jetty (h2) and nginx (h2, grpc)").hasSize(3);
        assertThat(Files.readString(OUT.resolve("results.md"))).contains("| gatewise | grpc | 16 | nginx-proxy |");
    }
}
