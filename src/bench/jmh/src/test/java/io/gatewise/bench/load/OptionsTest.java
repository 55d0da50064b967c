package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the warmup scenario: opt-in, its own length, apart from the warm-up run's --warmup. */
class OptionsTest {
    private static Options parse(Path work, String... args) throws Exception {
        Path jar = Files.createFile(work.resolve("gatewise.jar"));
        String[] all = new String[args.length + 4];
        all[0] = "--jar";
        all[1] = jar.toString();
        all[2] = "--targets";
        all[3] = "gatewise,jetty-core";
        System.arraycopy(args, 0, all, 4, args.length);
        return Options.parse(all);
    }

    @Test
    void theWarmupScenarioIsNotADefault(@TempDir Path work) throws Exception {
        Options options = parse(work);

        assertThat(options.scenarios).doesNotContain(LoadHarness.Scenario.WARMUP);
        assertThat(options.coldSeconds).isEqualTo(60);
    }

    @Test
    void theWarmupScenarioTakesItsLengthFromColdSecondsNotWarmup(@TempDir Path work) throws Exception {
        Options options = parse(work, "--scenarios", "warmup", "--cold-seconds", "20", "--warmup", "7");

        assertThat(options.scenarios).containsExactly(LoadHarness.Scenario.WARMUP);
        assertThat(options.coldSeconds).isEqualTo(20);
        assertThat(options.warmupSeconds).isEqualTo(7);
        assertThat(options.describe()).startsWith("warmup scenario: each target started fresh, then 20 back-to-back")
                .doesNotContain("rounds of");
    }

    @Test
    void theWarmupScenarioGoesWithOthers(@TempDir Path work) throws Exception {
        Options options = parse(work, "--scenarios", "small,warmup");

        assertThat(options.scenarios).containsExactly(LoadHarness.Scenario.SMALL, LoadHarness.Scenario.WARMUP);
        assertThat(LoadHarness.Scenario.WARMUP.wrk()).isFalse();
        assertThat(options.describe()).contains("rounds of", "warmup scenario");
    }

    @Test
    void coldSecondsMustBeAWholeNumberAboveZero(@TempDir Path work) {
        assertThatThrownBy(() -> parse(work, "--cold-seconds", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--cold-seconds");
    }
}
