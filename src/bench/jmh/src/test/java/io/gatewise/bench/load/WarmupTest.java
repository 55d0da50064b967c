package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warmup scenario's arithmetic: steady throughput, time to 90 %, and what the report writes of it. */
class WarmupTest {
    /** @return back-to-back intervals of these rates, each 1 s with 10 ms between them */
    private static List<Warmup.Interval> series(double... rates) {
        List<Warmup.Interval> intervals = new ArrayList<>();
        for (int i = 0; i < rates.length; i++) {
            double start = i * 1.01;
            intervals.add(new Warmup.Interval(i + 1, start, start + 1.0, rates[i], Math.round(rates[i]), 0, 0));
        }
        return intervals;
    }

    @Test
    void steadyIsTheMedianOfTheLastTenSeconds() {
        // 15 s: the first five slow, then 100 to 109 in some order.
        List<Warmup.Interval> intervals = series(1, 2, 3, 4, 5, 109, 100, 108, 101, 107, 102, 106, 103, 105, 104);

        assertThat(Warmup.steady(intervals)).isEqualTo(104.5);
    }

    @Test
    void aShortRunTakesTheMedianOfAllItsSeconds() {
        assertThat(Warmup.steady(series(10, 30, 20))).isEqualTo(20);
        assertThat(Warmup.steady(List.of())).isZero();
    }

    @Test
    void timeTo90IsTheEndOfTheFirstSecondFromWhichOnEverySecondReachesIt() {
        // Steady 100: the third second reaches 90, the fourth dips to 80, from the fifth on all stay at 90 or more.
        List<Warmup.Interval> intervals = series(10, 50, 95, 80, 90, 100, 100, 100, 100, 100, 100, 100);

        double steady = Warmup.steady(intervals);

        assertThat(steady).isEqualTo(100);
        assertThat(Warmup.timeTo(intervals, steady, 0.9)).isCloseTo(4 * 1.01 + 1.0, within(1e-9));
    }

    @Test
    void aTargetAtFullSpeedFromItsFirstSecondTakesOneSecond() {
        assertThat(Warmup.timeTo(series(98, 100, 101, 99), 100, 0.9)).isEqualTo(1.0);
    }

    @Test
    void aLastSecondBelowTheThresholdMeansNever() {
        assertThat(Warmup.timeTo(series(100, 100, 100, 89), 100, 0.9)).isNaN();
        assertThat(Warmup.timeTo(List.of(), 0, 0.9)).isNaN();
    }

    @Test
    void theSeriesKeepsItsSteadyRateTimeTo90AndMemory() {
        Warmup.Series series = Warmup.series("gatewise", 64, 0.8, series(20, 60, 100, 100), 300 * 1024, 40 * 1024, 38);

        assertThat(series.steadyRequestsPerSecond()).isEqualTo(80);
        assertThat(series.timeTo90Seconds()).isCloseTo(2 * 1.01 + 1.0, within(1e-9));
        assertThat(series.firstRequestsPerSecond()).isEqualTo(20);
        assertThat(series.earlyShare()).as("the mean of 20, 60, 100, 100 over 80").isCloseTo(70.0 / 80, within(1e-9));
    }

    @Test
    void theCsvHasOneLineASecond() {
        List<Warmup.Series> all = List.of(Warmup.series("gatewise", 64, 0.8, series(20, 60), 1, 1, 1),
                Warmup.series("nginx-proxy", 64, 0.1, series(90), 1, -1, 2));

        assertThat(Warmup.csv(all).lines()).containsExactly(
                "target,connections,second,start_s,end_s,requests_per_second,requests,socket_errors,non2xx",
                "gatewise,64,1,0.000,1.000,20.0,20,0,0",
                "gatewise,64,2,1.010,2.010,60.0,60,0,0",
                "nginx-proxy,64,1,0.000,1.000,90.0,90,0,0");
    }

    @Test
    void theReportHasATableAndTheSeriesInResultsJson(@TempDir Path folder) throws Exception {
        List<Warmup.Series> all = List.of(
                Warmup.series("gatewise", 64, 0.8, series(20, 100, 100), 200 * 1024, 30 * 1024, 40),
                Warmup.series("nginx-proxy", 64, 0.1, series(100, 100, 80), 10 * 1024, -1, 2));
        Report report = new Report(List.of(), List.of(), "test", List.of(), List.of(), all);

        assertThat(report.markdown()).contains(
                "| target | connections | ready after s | first 1 s req/s | steady req/s | first ÷ steady"
                        + " | time to 90 % s | first 10 s ÷ steady |",
                "| gatewise | 64 | 0.8 | 20 | 100 | 0.20 | 2.0 | 0.73 | 0 | 0 | 200 | 30.0 | 40 |",
                "| nginx-proxy | 64 | 0.1 | 100 | 100 | 1.00 | never | 0.93 | 0 | 0 | 10 | - | 2 |")
                .doesNotContain("| target | scenario |");

        report.write(folder);
        assertThat(Files.readString(folder.resolve("results.json"))).contains("\"warmup\"", "\"intervals\"");
        Report read = Report.read(folder);
        assertThat(read.markdown()).isEqualTo(report.markdown());
    }
}
