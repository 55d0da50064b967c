package io.gatewise.bench.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code warmup} scenario's numbers: how fast a freshly started target serves from its first
 * request on. The harness starts the target, waits for its first 200 (the readiness check, the
 * only request before the load), then runs wrk back to back for 1 s at a time, each run a new wrk
 * process with new connections: each run is one interval of the series, its req/s wrk's own
 * (requests over wrk's measured run time), its start and end read on the harness's clock from the
 * start of the first run, so the time wrk spends starting its threads and connecting (tens of
 * milliseconds a run on a small loaded machine: runs of about 1.15 s on two cores) counts in the
 * offsets but not in the rates, and every second opens its connections anew. Back-to-back runs rather than wrk's Lua hooks: a
 * {@code response} hook makes wrk parse every response in Lua, which would cap the rate it can
 * drive.
 *
 * <p><b>Steady</b> throughput is the median req/s of the last {@value #STEADY_INTERVALS}
 * intervals (of all of them in a shorter run). <b>Time to 90 %</b> is the end offset of the first
 * interval from which on every interval, that one included, reached at least 90 % of steady: the
 * time from the first request until the target ran at 90 % of steady and stayed there. A target
 * at full speed from its first second has about 1 s; one whose last interval is below 90 % of
 * steady has none (NaN, "never" in the report).
 */
final class Warmup {
    /** How many of the last intervals steady throughput is the median of. */
    static final int STEADY_INTERVALS = 10;
    /** How many of the first intervals {@link Series#earlyShare()} averages. */
    static final int EARLY_INTERVALS = 10;
    /** The share of steady throughput time-to-90 % asks for. */
    static final double FRACTION = 0.9;

    private Warmup() {
    }

    /**
     * One back-to-back wrk run of the series.
     *
     * @param second its number, from 1
     * @param startSeconds when it started, from the start of the first run
     * @param endSeconds when it ended, from the start of the first run
     */
    record Interval(int second, double startSeconds, double endSeconds, double requestsPerSecond, long requests,
            long socketErrors, long non2xx) {
    }

    /**
     * One target's series at one concurrency.
     *
     * @param readySeconds from its start to its first 200 (the readiness check)
     * @param steadyRequestsPerSecond see {@link #steady}
     * @param timeTo90Seconds see {@link #timeTo}; NaN if it never stayed at 90 %
     * @param peakRssKb its peak RSS over the series
     * @param heapAfterGcKb its live heap after a full GC at the end; -1 for a target that is not a JVM
     * @param threads its threads at the end (with its children's where its RSS counts them)
     */
    record Series(String target, int connections, double readySeconds, List<Interval> intervals,
            double steadyRequestsPerSecond, double timeTo90Seconds, long peakRssKb, long heapAfterGcKb,
            long threads) {
        /** @return the req/s of its first interval; 0 if it has none */
        double firstRequestsPerSecond() {
            return intervals.isEmpty() ? 0 : intervals.get(0).requestsPerSecond();
        }

        /**
         * @return the mean req/s of its first {@value #EARLY_INTERVALS} intervals over steady: how
         *     much of its steady speed it gave on average in its first seconds, a measure a single
         *     slow second late in the series does not move as it moves time to 90 %; 0 without steady
         */
        double earlyShare() {
            if (steadyRequestsPerSecond <= 0 || intervals.isEmpty()) {
                return 0;
            }
            return intervals.subList(0, Math.min(EARLY_INTERVALS, intervals.size())).stream()
                    .mapToDouble(Interval::requestsPerSecond).average().orElse(0) / steadyRequestsPerSecond;
        }

        long socketErrors() {
            return intervals.stream().mapToLong(Interval::socketErrors).sum();
        }

        long non2xx() {
            return intervals.stream().mapToLong(Interval::non2xx).sum();
        }
    }

    /**
     * @return the series of a target with its steady throughput and time to 90 % worked out
     */
    static Series series(String target, int connections, double readySeconds, List<Interval> intervals,
            long peakRssKb, long heapAfterGcKb, long threads) {
        double steady = steady(intervals);
        return new Series(target, connections, readySeconds, List.copyOf(intervals), steady,
                timeTo(intervals, steady, FRACTION), peakRssKb, heapAfterGcKb, threads);
    }

    /** @return the median req/s of the last {@value #STEADY_INTERVALS} intervals (of all, if fewer); 0 for none */
    static double steady(List<Interval> intervals) {
        if (intervals.isEmpty()) {
            return 0;
        }
        return LoadHarness.median(intervals.subList(Math.max(0, intervals.size() - STEADY_INTERVALS), intervals.size())
                .stream().mapToDouble(Interval::requestsPerSecond).toArray());
    }

    /**
     * @param steady the steady req/s
     * @param fraction the share of it to reach, 0.9 for time to 90 %
     * @return the end offset of the first interval from which on every interval reached
     *     {@code fraction} of steady; NaN if the last one did not (or there is none)
     */
    static double timeTo(List<Interval> intervals, double steady, double fraction) {
        double threshold = fraction * steady;
        int first = intervals.size();
        while (first > 0 && intervals.get(first - 1).requestsPerSecond() >= threshold) {
            first--;
        }
        return first == intervals.size() ? Double.NaN : intervals.get(first).endSeconds();
    }

    /** @return every interval of every series, one a line, for {@code warmup.csv} */
    static String csv(List<Series> series) {
        StringBuilder csv = new StringBuilder(
                "target,connections,second,start_s,end_s,requests_per_second,requests,socket_errors,non2xx\n");
        for (Series one : series) {
            for (Interval interval : one.intervals()) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.3f,%.1f,%d,%d,%d%n", one.target(),
                        one.connections(), interval.second(), interval.startSeconds(), interval.endSeconds(),
                        interval.requestsPerSecond(), interval.requests(), interval.socketErrors(),
                        interval.non2xx()));
            }
        }
        return csv.toString();
    }

    /** @return the Markdown table of the series, with how they were measured */
    static String markdown(List<Series> series) {
        StringBuilder md = new StringBuilder();
        md.append("Warm-up: each target started fresh and loaded from its first request on (after one readiness"
                + " check), back-to-back 1 s wrk runs, each a new wrk with new connections. Steady: the median req/s"
                + " of the last ").append(STEADY_INTERVALS).append(" s. Time to 90 %: from the first request to the"
                + " end of the first 1 s interval from which on every interval reached 90 % of steady (\"never\" if"
                + " the last did not). First 10 s ÷ steady: the mean req/s of the first ").append(EARLY_INTERVALS)
                .append(" intervals over steady. Every interval in warmup.csv.\n\n");
        md.append("| target | connections | ready after s | first 1 s req/s | steady req/s | first ÷ steady"
                + " | time to 90 % s | first 10 s ÷ steady | socket errors | non-2xx | peak RSS MB | heap after GC MB | threads |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Series one : series) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.0f | %.2f | %s | %.2f | %d | %d | %.0f | %s | %s |%n",
                    one.target(), one.connections(), one.readySeconds(), one.firstRequestsPerSecond(),
                    one.steadyRequestsPerSecond(), one.steadyRequestsPerSecond() > 0
                            ? one.firstRequestsPerSecond() / one.steadyRequestsPerSecond() : 0,
                    Double.isNaN(one.timeTo90Seconds()) ? "never"
                            : String.format(Locale.ROOT, "%.1f", one.timeTo90Seconds()),
                    one.earlyShare(), one.socketErrors(), one.non2xx(), one.peakRssKb() / 1024.0, Report.heapMb(one.heapAfterGcKb()),
                    one.threads() > 0 ? Long.toString(one.threads()) : "-"));
        }
        return md.toString();
    }

    /** @return the req/s of each interval, for the log */
    static String rates(List<Interval> intervals) {
        return Arrays.toString(intervals.stream().mapToLong(interval -> Math.round(interval.requestsPerSecond()))
                .toArray());
    }
}
