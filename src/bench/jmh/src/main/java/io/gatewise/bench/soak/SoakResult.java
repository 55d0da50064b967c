package io.gatewise.bench.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * What one fault soak saw: answers and losses per minute, the faults it made, what went otherwise
 * than it should, and the gateway's resources over time, with the verdict on each.
 */
record SoakResult(long seconds, long seed, Map<Integer, SoakLoad.Minute> minutes, Map<String, Long> lostSamples,
        Map<String, Long> actions, List<String> problems, List<Sample> samples, List<String> errorsWithoutIncident) {
    /** Growth allowed after the warm-up: 10 %, and a little more for small counts. */
    static final double FLAT = 0.10;

    /**
     * @param atSeconds when, from the start
     * @param resources what the gateway held
     */
    record Sample(long atSeconds, GatewayProcess.Resources resources) {
    }

    /**
     * One resource over the run after the warm-up: the median of its first third and of its last
     * third, its highest value, and the verdict: flat when the end is within 10 % (plus the slack) of
     * the start. Medians, not single samples: one sample can catch a burst in flight, a leak moves
     * the median.
     */
    record Trend(String name, String unit, long start, long end, long peak, long slack, boolean flat) {
    }

    private static final Map<String, ToLongFunction<GatewayProcess.Resources>> RESOURCES = new LinkedHashMap<>();
    private static final Map<String, Long> SLACK = Map.of("heapAfterGcKb", 1024L, "rssKb", 4096L, "openFiles", 8L,
            "threads", 8L, "directKb", 1024L);

    static {
        RESOURCES.put("heapAfterGcKb", GatewayProcess.Resources::heapAfterGcKb);
        RESOURCES.put("rssKb", GatewayProcess.Resources::rssKb);
        RESOURCES.put("openFiles", GatewayProcess.Resources::openFiles);
        RESOURCES.put("threads", GatewayProcess.Resources::threads);
        RESOURCES.put("directKb", GatewayProcess.Resources::directKb);
    }

    long total(ToLongFunction<SoakLoad.Minute> count) {
        return minutes.values().stream().mapToLong(count).sum();
    }

    long requests() {
        return total(minute -> minute.requests.sum());
    }

    long lostIdempotent() {
        return total(minute -> minute.lostIdempotent.sum());
    }

    long hung() {
        return total(minute -> minute.hung.sum());
    }

    /** @return the samples after the warm-up: the first fifth of the run, at least one sample */
    List<Sample> afterWarmUp() {
        long warmUp = Math.max(seconds / 5, 1);
        List<Sample> after = samples.stream().filter(sample -> sample.atSeconds() >= warmUp).toList();
        return after.isEmpty() ? samples : after;
    }

    List<Trend> trends() {
        List<Trend> trends = new ArrayList<>();
        List<Sample> after = afterWarmUp();
        if (after.isEmpty()) {
            return trends;
        }
        int third = Math.max(1, after.size() / 3);
        RESOURCES.forEach((name, value) -> {
            long[] values = after.stream().mapToLong(sample -> value.applyAsLong(sample.resources())).toArray();
            long start = median(java.util.Arrays.copyOfRange(values, 0, third));
            long end = median(java.util.Arrays.copyOfRange(values, values.length - third, values.length));
            long peak = java.util.Arrays.stream(values).max().orElse(start);
            long slack = SLACK.get(name);
            trends.add(new Trend(name, name.endsWith("Kb") ? "KB" : "", start, end, peak, slack,
                    end <= start * (1 + FLAT) + slack));
        });
        return trends;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    boolean flat() {
        return trends().stream().allMatch(Trend::flat);
    }

    boolean passed() {
        return lostIdempotent() == 0 && hung() == 0 && problems.isEmpty() && errorsWithoutIncident.isEmpty() && flat();
    }

    String summary() {
        return String.format(Locale.ROOT, "fault soak: %d s, seed %d, %d requests, %d idempotent lost, %d hung,"
                + " %d POSTs failed, %d problems, %d ERROR lines without incident, resources %s: %s", seconds, seed,
                requests(), lostIdempotent(), hung(), total(minute -> minute.failedPosts.sum()), problems.size(),
                errorsWithoutIncident.size(), flat() ? "flat" : "NOT flat", passed() ? "passed" : "FAILED");
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seconds", seconds);
        json.put("seed", seed);
        json.put("passed", passed());
        json.put("requests", requests());
        json.put("lostIdempotent", lostIdempotent());
        json.put("hung", hung());
        json.put("lostSamples", lostSamples);
        json.put("faults", actions);
        json.put("problems", problems);
        json.put("errorsWithoutIncident", errorsWithoutIncident);
        List<Map<String, Object>> perMinute = new ArrayList<>();
        new TreeMap<>(minutes).forEach((minute, counts) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("minute", minute);
            row.put("requests", counts.requests.sum());
            row.put("byStatus", counts.statuses());
            row.put("byErrorType", counts.errorTypes());
            row.put("lostIdempotent", counts.lostIdempotent.sum());
            row.put("failedPosts", counts.failedPosts.sum());
            row.put("maintenanceAnswers", counts.maintenanceAnswers.sum());
            row.put("hung", counts.hung.sum());
            perMinute.add(row);
        });
        json.put("minutes", perMinute);
        json.put("samples", samples);
        json.put("trends", trends());
        return json;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Fault soak\n\n").append(summary()).append("\n\n");
        md.append("Faults made: ").append(actions).append("\n\n");
        md.append("| minute | requests | by status | by error type | idempotent lost | POSTs failed | maintenance 503s |"
                + " hung |\n|---|---|---|---|---|---|---|---|\n");
        new TreeMap<>(minutes).forEach((minute, counts) -> md.append(String.format(Locale.ROOT,
                "| %d | %d | %s | %s | %d | %d | %d | %d |%n", minute, counts.requests.sum(), counts.statuses(),
                counts.errorTypes(), counts.lostIdempotent.sum(), counts.failedPosts.sum(),
                counts.maintenanceAnswers.sum(), counts.hung.sum())));
        md.append("\n| at (s) | heap after GC (KB) | RSS (KB) | open files | threads | busy | idle | direct (KB) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Sample sample : samples) {
            GatewayProcess.Resources r = sample.resources();
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %d | %d |%n", sample.atSeconds(),
                    r.heapAfterGcKb(), r.rssKb(), r.openFiles(), r.threads(), r.busyThreads(), r.idleThreads(),
                    r.directKb()));
        }
        md.append("\nAfter the warm-up (the first fifth of the run): the median of the first and of the last third of the"
                + " samples.\n\n| resource | start | end | allowed end (+10 %, + slack) | highest | flat |\n"
                + "|---|---|---|---|---|---|\n");
        for (Trend trend : trends()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s |%n", trend.name(), trend.start(),
                    trend.end(), Math.round(trend.start() * (1 + FLAT) + trend.slack()), trend.peak(),
                    trend.flat() ? "yes" : "NO"));
        }
        if (!lostSamples.isEmpty()) {
            md.append("\nLost idempotent requests: ").append(lostSamples).append('\n');
        }
        if (!problems.isEmpty()) {
            md.append("\nProblems:\n");
            problems.forEach(problem -> md.append("- ").append(problem).append('\n'));
        }
        return md.toString();
    }

    /** @return each resource over time, relative to its median just after the warm-up (1.0), as lines */
    String svg() {
        int width = 760;
        int height = 320;
        int left = 50;
        int top = 30;
        int plotWidth = width - left - 170;
        int plotHeight = height - top - 40;
        String[] colors = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\""
                + " width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">Gateway resources during"
                + " the fault soak (%d s), relative to their median just after the warm-up</text>%n", left, seconds));
        double max = 2.0;
        for (double level : new double[] {0, 0.5, 1.0, 1.1, 1.5, 2.0}) {
            double y = top + plotHeight * (1 - level / max);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n", left, left + plotWidth, y, y,
                    level == 1.1 ? "#f4a3a3" : "#dddddd", left - 4, y + 4, level));
        }
        List<Sample> after = afterWarmUp();
        List<Trend> trends = trends();
        long lastAt = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).atSeconds());
        int color = 0;
        for (Map.Entry<String, ToLongFunction<GatewayProcess.Resources>> resource : RESOURCES.entrySet()) {
            if (after.isEmpty()) {
                break;
            }
            String name = resource.getKey();
            double baseline = Math.max(1, trends.stream().filter(trend -> trend.name().equals(name)).findFirst()
                    .map(Trend::start).orElse(1L));
            StringBuilder points = new StringBuilder();
            for (Sample sample : samples) {
                double relative = Math.min(max, resource.getValue().applyAsLong(sample.resources()) / baseline);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + plotWidth * (double) sample.atSeconds()
                        / lastAt, top + plotHeight * (1 - relative / max)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\""
                    + " points=\"%s\"/>%n", colors[color], points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
                    left + plotWidth + 10, top + 16 * (color + 1), colors[color], resource.getKey()));
            color++;
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">seconds from the start: 0 to %d</text>%n",
                left, height - 10, lastAt));
        return svg.append("</svg>\n").toString();
    }
}
