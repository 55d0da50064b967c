package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory columns of the results table: heap after a full GC for JVM targets, {@code -} for the others. */
class ReportMemoryTest {
    private static LoadHarness.Row row(String target, long heapAfterGcKb, long threads) {
        return new LoadHarness.Row(target, "small", 64, 1000, 1, 2, 5000, 0, 0, 200 * 1024, List.of(1000.0), 50, 10,
                0, heapAfterGcKb, threads);
    }

    @Test
    void jvmTargetsShowTheirHeapAfterGcAndOthersADash() {
        String md = new Report(List.of(row("gatewise", 30 * 1024 + 512, 41), row("nginx-proxy", -1, 2)), List.of(),
                "test", List.of(), List.of()).markdown();

        assertThat(md).contains("| peak RSS MB | heap after GC MB | threads | CPU µs/req |",
                "| gatewise | small | 64 | 1000 | 1.00 | 2.00 | 0 | 0 | 200 | 30.5 | 41 | 50.0 |",
                "| nginx-proxy | small | 64 | 1000 | 1.00 | 2.00 | 0 | 0 | 200 | - | 2 | 50.0 |");
    }

    @Test
    void resultsWrittenBeforeTheMemoryColumnsHaveNone() {
        String md = new Report(List.of(row("gatewise", 0, 0)), List.of(), "test", List.of(), List.of()).markdown();

        assertThat(md).contains("| peak RSS MB | CPU µs/req |").doesNotContain("heap after GC");
    }

    @Test
    void theMemoryColumnsSurviveResultsJson(@TempDir Path folder) throws Exception {
        new Report(List.of(row("gatewise", 2048, 33)), List.of(), "test", List.of(), List.of()).write(folder);

        assertThat(Report.read(folder).markdown()).contains("| 2.0 | 33 |");
    }
}
