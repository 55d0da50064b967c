package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The load harness end to end in its smoke mode (a few seconds per target), so it cannot rot
 * unnoticed: every target starts, serves every scenario, and the report is written. It checks
 * what was served, never how fast: speed is for the full run, read by a person.
 *
 * <p>Needs nginx and wrk; .ci/run installs them. Skipped where they are missing, except under CI.
 */
class LoadHarnessSmokeIT {
    private static final Path OUT = Path.of("target/smoke");

    private static boolean installed(String tool) {
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/usr/bin", tool));
    }

    @Test
    void everyTargetServesEveryScenarioAndTheReportIsWritten() throws Exception {
        boolean tools = installed("nginx") && installed("wrk");
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(tools, "nginx and wrk are not installed");
        }
        assertThat(tools).as("CI installs nginx and wrk (.ci/run)").isTrue();

        Process harness = new ProcessBuilder(Target.java(), "-cp", System.getProperty("benchmarks.jar"),
                LoadHarness.class.getName(), "--smoke", "--jar", System.getProperty("gatewise.jar"),
                // The peers HAProxy and Spring Cloud Gateway are for compare.sh: CI installs neither.
                "--targets", "gatewise,gatewise-failfast,jetty,jetty-core,nginx",
                "--out", OUT.toString()).redirectErrorStream(true)
                .redirectOutput(Path.of("target/smoke.log").toFile()).start();
        assertThat(harness.waitFor(5, TimeUnit.MINUTES)).as("the smoke run ends").isTrue();
        assertThat(harness.exitValue()).as(Files.readString(Path.of("target/smoke.log"))).isZero();

        JsonNode results = new ObjectMapper().readTree(OUT.resolve("results.json").toFile());
        assertThat(results.get("rows")).hasSize(20);
        for (JsonNode row : results.get("rows")) {
            String where = row.get("target").asText() + " " + row.get("scenario").asText();
            assertThat(row.get("requests").asLong()).as(where + " served requests").isPositive();
            assertThat(row.get("peakRssKb").asLong()).as(where + " peak RSS read").isPositive();
            if (List.of("small", "64k").contains(row.get("scenario").asText())) {
                assertThat(row.get("non2xx").asLong()).as(where + ": every answer a success").isZero();
                assertThat(row.get("socketErrors").asLong()).as(where).isZero();
            } else {
                assertThat(row.get("non2xx").asLong()).as(where + ": every answer an error page")
                        .isEqualTo(row.get("requests").asLong());
            }
        }
        assertThat(results.get("ratios")).as("both Gatewise setups against both Jettys and nginx, per scenario")
                .hasSize(24);
        assertThat(Files.readString(OUT.resolve("results.md"))).contains("| gatewise | small | 16 |",
                "| gatewise | small | 16 | jetty-proxyservlet |", "| gatewise | small | 16 | jetty-proxyhandler |");
        assertWellFormed(OUT.resolve("results.svg"));
    }

    private static void assertWellFormed(Path svg) throws Exception {
        try {
            assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile())
                    .getDocumentElement().getTagName()).isEqualTo("svg");
        } catch (IOException e) {
            throw new AssertionError("no chart at " + svg, e);
        }
    }
}
