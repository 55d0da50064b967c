package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading h2load's report and per-request log, without h2load: the reports are h2load 1.52's. */
class H2loadTest {
    private static final String REPORT = """
            starting benchmark...
            spawning thread #0: 2 total client(s). 300 total requests
            Application protocol: h2c
            progress: 100% done

            finished in 28.22ms, 10630.00 req/s, 1.30MB/s
            requests: 300 total, 300 started, 300 done, 300 succeeded, 0 failed, 0 errored, 0 timeout
            status codes: 300 2xx, 0 3xx, 0 4xx, 0 5xx
            traffic: 37.60KB (38498) total, 30.47KB (31200) headers (space savings 40.23%), 1.76KB (1800) data
                                 min         max         mean         sd        +/- sd
            time for request:       63us      3.13ms       667us       869us    82.67%
            time for connect:      289us       564us       426us       194us   100.00%
            time to 1st byte:     2.02ms      2.22ms      2.12ms       136us   100.00%
            req/s           :    5630.94     5664.45     5647.69       23.70   100.00%
            """;

    @Test
    void readsRateCountsAndTheRequestTimeRow() throws IOException {
        H2load.Result result = H2load.parse(REPORT, new double[] {0.5, 2.5});

        assertThat(result.requestsPerSecond()).isEqualTo(10630.00);
        assertThat(result.done()).isEqualTo(300);
        assertThat(result.succeeded()).isEqualTo(300);
        assertThat(result.failed()).isZero();
        assertThat(result.non2xx()).isZero();
        assertThat(result.protocol()).isEqualTo("h2c");
        assertThat(result.minMillis()).isCloseTo(0.063, within(1e-9));
        assertThat(result.maxMillis()).isCloseTo(3.13, within(1e-9));
        assertThat(result.meanMillis()).isCloseTo(0.667, within(1e-9));
        assertThat(result.sdMillis()).isCloseTo(0.869, within(1e-9));
        assertThat(result.p50Millis()).isEqualTo(0.5);
        assertThat(result.p99Millis()).isEqualTo(2.5);
        assertThat(result.asLoad()).isEqualTo(new Wrk.Result(10630.00, 300, 0.5, 2.5, 0, 0));
    }

    @Test
    void httpFailuresAreNotSuccessesAndErrorsAreApart() throws IOException {
        String notFound = REPORT.replace("300 done, 300 succeeded, 0 failed, 0 errored",
                "300 done, 290 succeeded, 10 failed, 4 errored").replace("300 2xx, 0 3xx, 0 4xx, 0 5xx",
                "290 2xx, 0 3xx, 2 4xx, 4 5xx");

        H2load.Result result = H2load.parse(notFound, null);

        assertThat(result.succeeded()).isEqualTo(290);
        assertThat(result.failed()).isEqualTo(10);
        assertThat(result.errored()).isEqualTo(4);
        assertThat(result.non2xx()).isEqualTo(6);
        assertThat(result.p50Millis()).isNaN();
        assertThat(result.asLoad().socketErrors()).isEqualTo(4);
        assertThat(result.asLoad().non2xx()).isEqualTo(6);
    }

    @Test
    void aServerWithoutH2cIsSeenInTheProtocol() throws IOException {
        String http1 = REPORT.replace("Application protocol: h2c", "Application protocol: http/1.1");

        assertThat(H2load.parse(http1, null).protocol()).isEqualTo("http/1.1");
        assertThat(H2load.parse(REPORT.replace("Application protocol: h2c\n", ""), null).protocol()).isNull();
    }

    @Test
    void aReportWithoutTheRateIsRefused() {
        assertThatThrownBy(() -> H2load.parse("No protocol negotiated. Aborted.\n", null))
                .isInstanceOf(IOException.class).hasMessageContaining("finished in");
    }

    @Test
    void percentilesComeFromTheRequestLogInMicroseconds(@TempDir Path folder) throws IOException {
        Path log = folder.resolve("log.tsv");
        // 1 to 1000 ms, shuffled by a stride: the log is in the order requests ended.
        Files.writeString(log, IntStream.range(0, 1000).map(i -> (i * 7919) % 1000 + 1)
                .mapToObj(ms -> "1796547345256657\t200\t" + ms * 1000L).collect(Collectors.joining("\n", "", "\n")));

        double[] percentiles = H2load.percentiles(log);

        assertThat(percentiles[0]).isEqualTo(500.0);
        assertThat(percentiles[1]).isEqualTo(990.0);
    }

    @Test
    void anEmptyLogHasNoPercentiles(@TempDir Path folder) throws IOException {
        Path log = Files.createFile(folder.resolve("log.tsv"));

        assertThat(H2load.percentiles(log)).containsExactly(Double.NaN, Double.NaN);
    }
}
