package io.gatewise.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault soak for one minute, as {@code mvn verify} runs it: the gateway in its own process,
 * steady load on four routes while the fault script kills and restarts upstreams, changes what a
 * name resolves to, reloads the config with a route added and removed, toggles maintenance and
 * drain through the admin API, and sends hostile clients. Its verdicts are behaviour, not speed:
 * no idempotent request lost while a healthy upstream was there, none hung, every fault made and
 * answered as it should be, no {@code ERROR} line without an incident. A minute is too short to
 * judge flatness within 10 % (the 30-minute run in src/bench/results/soak-faults does); here only
 * a gross leak fails it.
 */
class FaultSoakIT {
    private static final Path OUT = Path.of("target/soak-faults");

    @Test
    void aMinuteOfFaultsUnderLoadLosesNoIdempotentRequestAndLeaksNothingGross() throws Exception {
        String classpath = System.getProperty("gatewise.jar") + File.pathSeparator + System.getProperty("benchmarks.jar");
        SoakResult result = FaultSoak.run(new FaultSoak.Options(60, 20, 10, 8, OUT, classpath,
                List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC")));

        assertThat(result.requests()).as(result.summary()).isGreaterThan(1000);
        assertThat(result.lostIdempotent()).as("idempotent requests lost with a healthy upstream to go to: "
                + result.lostSamples()).isZero();
        assertThat(result.hung()).as("requests that waited past every timeout").isZero();
        assertThat(result.problems()).as("faults that did not go as they should").isEmpty();
        assertThat(result.errorsWithoutIncident()).as("ERROR lines in the gateway's log without an incident").isEmpty();
        assertThat(result.actions()).as("every kind of fault was made").containsKeys("upstream_killed",
                "upstream_restarted", "dns_changed", "route_added", "route_removed", "maintenance_on", "drain_on",
                "hostile_slow_head", "hostile_huge_header", "hostile_garbage");
        assertThat(result.total(minute -> minute.maintenanceAnswers.sum())).as("maintenance answered 503s").isPositive();

        List<SoakResult.Sample> samples = result.samples();
        assertThat(samples).hasSizeGreaterThanOrEqualTo(5);
        GatewayProcess.Resources first = samples.get(0).resources();
        GatewayProcess.Resources last = samples.get(samples.size() - 1).resources();
        assertThat(last.openFiles()).as("open files").isLessThan(first.openFiles() * 2 + 20);
        assertThat(last.threads()).as("threads").isLessThan(first.threads() * 2);
        assertThat(last.heapAfterGcKb()).as("heap after a full collection").isLessThan(first.heapAfterGcKb() * 3);
        assertThat(Files.readString(OUT.resolve("results.md"))).contains("| minute | requests |");
        assertThat(Files.readString(OUT.resolve("results.svg"))).startsWith("<svg").contains("polyline");
    }
}
