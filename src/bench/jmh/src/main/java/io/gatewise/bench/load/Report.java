package io.gatewise.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The harness's results as Markdown, JSON and an SVG chart of Gatewise's ratios to the others. */
final class Report {
    private static final String GATEWISE = "gatewise";
    private static final String GATEWISE_FAIL_FAST = "gatewise-failfast";
    /** Another build, for an A/B run of a change ({@code --baseline}). */
    private static final String GATEWISE_BASELINE = "gatewise-baseline";
    /** The same jar as {@code gatewise} with one setting changed: each is compared with {@code gatewise}. */
    private static final List<String> GATEWISE_VARIANTS = List.of("gatewise-nometrics", "gatewise-traced");
    private static final String JETTY = "jetty-proxyservlet";
    private static final String JETTY_CORE = Target.JETTY_CORE;
    private static final String NGINX = "nginx-proxy";
    private static final String HAPROXY = Target.HAPROXY;
    private static final String SCG = Target.SCG;
    private static final String DIRECT = Target.DIRECT;
    private static final double CHART_CAP = 3.0;

    /** A Gatewise target against another at one point: above 1 is better for req/s, worse for p99. */
    record Ratio(String gatewise, String scenario, int connections, String versus, double requestsPerSecond,
            double p99) {
    }

    private final List<LoadHarness.Row> rows;
    private final List<LoadHarness.SoakSample> soak;
    private final String description;
    private final List<String> notes;
    private final List<String> checks;
    private final List<Warmup.Series> warmups;

    /**
     * @param notes what the run left out and why (a target that cannot serve a scenario)
     * @param checks what was checked once the measured rounds were over (a traced gateway's dropped
     *     spans, what the OTLP sink received)
     */
    Report(List<LoadHarness.Row> rows, List<LoadHarness.SoakSample> soak, String description, List<String> notes,
            List<String> checks) {
        this(rows, soak, description, notes, checks, List.of());
    }

    /** @param warmups the warmup scenario's series, one per target and concurrency */
    Report(List<LoadHarness.Row> rows, List<LoadHarness.SoakSample> soak, String description, List<String> notes,
            List<String> checks, List<Warmup.Series> warmups) {
        this.warmups = List.copyOf(warmups);
        this.rows = List.copyOf(rows);
        this.soak = List.copyOf(soak);
        this.description = description;
        this.notes = List.copyOf(notes);
        this.checks = List.copyOf(checks);
    }

    /**
     * @param folder where a run wrote results.json
     * @return its report, to write again (after a change to how results are shown)
     * @throws IOException if the file cannot be read
     */
    static Report read(Path folder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode results = json.readTree(folder.resolve("results.json").toFile());
        return new Report(List.of(json.treeToValue(results.get("rows"), LoadHarness.Row[].class)),
                List.of(json.treeToValue(results.get("soak"), LoadHarness.SoakSample[].class)),
                results.get("description").asText(),
                results.has("notes") ? List.of(json.treeToValue(results.get("notes"), String[].class)) : List.of(),
                results.has("checks") ? List.of(json.treeToValue(results.get("checks"), String[].class)) : List.of(),
                results.has("warmup") ? List.of(json.treeToValue(results.get("warmup"), Warmup.Series[].class))
                        : List.of());
    }

    void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("results.md"), markdown());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("description", description);
        json.put("rows", rows);
        json.put("ratios", ratios());
        json.put("soak", soak);
        json.put("notes", notes);
        if (!checks.isEmpty()) {
            json.put("checks", checks);
        }
        if (!warmups.isEmpty()) {
            json.put("warmup", warmups);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve("results.json").toFile(),
                json);
        Files.writeString(folder.resolve("results.svg"), svg());
    }

    /**
     * @return every Gatewise point against the same point of each other target that ran: of an A/B
     *     run, each Gatewise against {@code gatewise-baseline}, and each variant of the same jar
     *     ({@code gatewise-nometrics}, {@code gatewise-traced}) against {@code gatewise}
     */
    List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        for (LoadHarness.Row gatewise : rows) {
            if (!gatewise.target().startsWith(GATEWISE)) {
                continue;
            }
            List<String> others = new ArrayList<>();
            if (!gatewise.target().equals(GATEWISE_BASELINE)) {
                others.add(GATEWISE_BASELINE);
            }
            if (GATEWISE_VARIANTS.contains(gatewise.target())) {
                others.add(GATEWISE);
            }
            others.addAll(List.of(JETTY, JETTY_CORE, NGINX, HAPROXY, SCG, DIRECT));
            for (String other : others) {
                find(other, gatewise.scenario(), gatewise.connections()).ifPresent(row -> ratios.add(new Ratio(
                        gatewise.target(), gatewise.scenario(), gatewise.connections(), other, roundByRound(gatewise, row),
                        gatewise.p99Millis() / row.p99Millis())));
            }
        }
        return ratios;
    }

    /** @return the median of the rounds' req/s ratios: each round ran both targets close in time */
    private static double roundByRound(LoadHarness.Row gatewise, LoadHarness.Row other) {
        List<Double> ours = gatewise.roundRequestsPerSecond();
        List<Double> theirs = other.roundRequestsPerSecond();
        double[] ratios = new double[Math.min(ours.size(), theirs.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = ours.get(i) / theirs.get(i);
        }
        return ratios.length == 0 ? gatewise.requestsPerSecond() / other.requestsPerSecond()
                : LoadHarness.median(ratios);
    }

    private Optional<LoadHarness.Row> find(String target, String scenario, int connections) {
        return rows.stream().filter(row -> row.target().equals(target) && row.scenario().equals(scenario)
                && row.connections() == connections).findFirst();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(description).append(".\n\n");
        if (!warmups.isEmpty()) {
            md.append(Warmup.markdown(warmups)).append('\n');
        }
        // Results written before the upstream's CPU was measured have 0 there: no column then.
        boolean upstreamCpu = rows.stream().anyMatch(row -> row.upstreamCpuMicrosPerRequest() > 0);
        // Only the WebSocket scenarios' client runs where the harness can read its CPU time.
        boolean clientCpu = rows.stream().anyMatch(row -> row.clientCpuMicrosPerRequest() > 0);
        if (rows.stream().anyMatch(row -> row.scenario().startsWith("ws"))) {
            md.append("On the WebSocket scenarios (ws-*) a request is one message echoed: req/s is messages/s, p50 and"
                    + " p99 a message's round trip, socket errors the connections that failed, non-2xx the echoes that"
                    + " came back wrong; `direct` is the load client to the echo upstream with no proxy between.\n\n");
        }
        // Results written before the heap and threads were read have 0 in both: no columns then.
        boolean memory = rows.stream().anyMatch(row -> row.heapAfterGcKb() != 0 || row.threads() > 0);
        if (!rows.isEmpty()) {
            md.append("| target | scenario | connections | req/s | p50 ms | p99 ms | socket errors | non-2xx"
                    + " | peak RSS MB" + (memory ? " | heap after GC MB | threads" : "")
                    + " | CPU µs/req |" + (upstreamCpu ? " upstream CPU µs/req |" : "")
                    + (clientCpu ? " client CPU µs/req |" : "") + "\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|" + (memory ? "---:|---:|" : "") + "---:|"
                    + (upstreamCpu ? "---:|" : "") + (clientCpu ? "---:|" : "") + "\n");
        }
        for (LoadHarness.Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %d | %d | %.0f |",
                    row.target(), row.scenario(), row.connections(), row.requestsPerSecond(), row.p50Millis(),
                    row.p99Millis(), row.socketErrors(), row.non2xx(), row.peakRssKb() / 1024.0));
            md.append(memory ? " " + heapMb(row.heapAfterGcKb()) + " | " + (row.threads() > 0 ? row.threads() : "-")
                    + " |" : "");
            md.append(String.format(Locale.ROOT, " %.1f |", row.cpuMicrosPerRequest()));
            md.append(upstreamCpu ? String.format(Locale.ROOT, " %.1f |", row.upstreamCpuMicrosPerRequest()) : "");
            md.append(clientCpu ? String.format(Locale.ROOT, " %.1f |", row.clientCpuMicrosPerRequest()) : "");
            md.append('\n');
        }
        List<Ratio> ratios = ratios();
        if (!ratios.isEmpty()) {
            md.append("\nGatewise ÷ the other, same scenario and concurrency (req/s: median of the rounds' ratios,"
                    + " above 1 is faster; p99: ratio of the medians, below 1 is faster):\n\n");
            md.append("| gatewise | scenario | connections | versus | req/s ratio | p99 ratio |\n"
                    + "|---|---|---:|---|---:|---:|\n");
            for (Ratio ratio : ratios) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %.2f | %.2f |%n", ratio.gatewise(),
                        ratio.scenario(),
                        ratio.connections(), ratio.versus(), ratio.requestsPerSecond(), ratio.p99()));
            }
        }
        if (!notes.isEmpty()) {
            md.append("\nNot measured:\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        if (!checks.isEmpty()) {
            md.append("\nAfter the measured rounds:\n\n");
            checks.forEach(check -> md.append("- ").append(check).append('\n'));
        }
        if (!soak.isEmpty()) {
            md.append("\nGatewise after each soak round:\n\n");
            md.append("| round | RSS MB | threads | open files | heap after GC MB |\n|---:|---:|---:|---:|---:|\n");
            for (LoadHarness.SoakSample sample : soak) {
                md.append(String.format(Locale.ROOT, "| %d | %.0f | %d | %d | %.1f |%n", sample.round(),
                        sample.rssKb() / 1024.0, sample.threads(), sample.openFiles(), sample.heapAfterGcKb() / 1024.0));
            }
        }
        return md.toString();
    }

    /** @return a heap after GC in MB, one decimal; {@code -} where there is none (not a JVM) or it is unknown */
    static String heapMb(long kb) {
        return kb > 0 ? String.format(Locale.ROOT, "%.1f", kb / 1024.0) : "-";
    }

    /**
     * @return grouped bars: each target's req/s relative to plain Jetty per scenario and
     *     concurrency, or to nginx where Jetty did not run that scenario (gRPC)
     */
    String svg() {
        List<String[]> groups = new ArrayList<>();
        boolean toNginx = false;
        for (LoadHarness.Row row : rows) {
            boolean reference = row.target().equals(JETTY)
                    || row.target().equals(NGINX) && find(JETTY, row.scenario(), row.connections()).isEmpty();
            if (reference) {
                groups.add(new String[] {row.scenario(), Integer.toString(row.connections())});
                toNginx |= row.target().equals(NGINX);
            }
        }
        List<String> targets = List.of(GATEWISE, GATEWISE_FAIL_FAST, JETTY, JETTY_CORE, NGINX, HAPROXY, SCG, DIRECT).stream()
                .filter(target -> rows.stream().anyMatch(row -> row.target().equals(target))).toList();
        Map<String, String> palette = Map.of(GATEWISE, "#1f6feb", GATEWISE_FAIL_FAST, "#79c0ff", JETTY, "#8b949e",
                JETTY_CORE, "#57606a", NGINX, "#2da44e", HAPROXY, "#bf8700", SCG, "#8250df", DIRECT, "#d0d7de");
        String[] colors = targets.stream().map(palette::get).toArray(String[]::new);
        double max = 1.0;
        for (LoadHarness.Row row : rows) {
            max = Math.max(max, relative(row).orElse(0.0));
        }
        // Fail-fast setups can be a thousand times Jetty on a black hole: cap the scale, label what passes it.
        max = Math.min(Math.ceil(max * 2) / 2, CHART_CAP);
        int groupWidth = Math.max(4, targets.size()) * 18 + 12;
        int left = 50;
        int top = 56;
        int height = 220;
        int legendWidth = 160;
        int width = Math.max(left + Math.max(1, groups.size()) * groupWidth + 20,
                left + targets.size() * legendWidth);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", width, top + height + 60));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">Requests/s relative to plain"
                + " Jetty ProxyServlet (1.0 = Jetty%s), same run</text>%n", left,
                toNginx ? "; nginx where Jetty did not run" : ""));
        for (double tick = 0; tick <= max + 1e-9; tick += 0.5) {
            double y = top + height - tick / max * height;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n", left, width - 20, y, y,
                    Math.abs(tick - 1.0) < 1e-9 ? "#444" : "#ddd", left - 6, y + 4, tick));
        }
        for (int g = 0; g < groups.size(); g++) {
            String scenario = groups.get(g)[0];
            int connections = Integer.parseInt(groups.get(g)[1]);
            int x0 = left + g * groupWidth + 8;
            for (int t = 0; t < targets.size(); t++) {
                double value = find(targets.get(t), scenario, connections).flatMap(this::relative).orElse(0.0);
                double barHeight = Math.min(value, max) / max * height;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"16\" height=\"%.1f\""
                        + " fill=\"%s\"><title>%s %s c=%d: %.2f</title></rect>%n", x0 + t * 18,
                        top + height - barHeight, barHeight, colors[t], targets.get(t), scenario, connections, value));
                if (value > max) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
                            + " font-size=\"9\">%s×</text>%n", x0 + t * 18 + 8, top - 4 - (t % 2) * 10,
                            String.format(Locale.ROOT, value < 10 ? "%.1f" : "%.0f", value)));
                }
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">c=%d</text>%n", x0 + (groupWidth - 12) / 2,
                    top + height + 16, scenario, x0 + (groupWidth - 12) / 2, top + height + 30, connections));
        }
        for (int t = 0; t < targets.size(); t++) {
            int x = left + t * legendWidth;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, top + height + 42, colors[t], x + 16, top + height + 52,
                    targets.get(t)));
        }
        return svg.append("</svg>\n").toString();
    }

    private Optional<Double> relative(LoadHarness.Row row) {
        return find(JETTY, row.scenario(), row.connections()).or(() -> find(NGINX, row.scenario(), row.connections()))
                .filter(reference -> reference.requestsPerSecond() > 0)
                .map(reference -> row.requestsPerSecond() / reference.requestsPerSecond());
    }
}
