package io.gatewise.bench.load;

import io.gatewise.bench.soak.FaultSoak;

import io.gatewise.faults.BlackholeUpstream;
import io.gatewise.faults.ClosedPort;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The load comparison: one nginx upstream on loopback, then Gatewise, Jetty's plain
 * {@code ProxyServlet}, nginx and HAProxy as reverse proxies, and Spring Cloud Gateway, started
 * one after another (the JVMs with the same flags), each driven by {@code wrk} on the success path
 * (a small body and 64 KB) and the failure path (a refused port, a black-holed one). All stay up,
 * and each point is measured in rounds that take the targets in turn, so a shared machine's drift
 * falls on all of them alike. Writes a Markdown table, JSON and an SVG chart with Gatewise's
 * ratios to the others. Traffic never leaves 127.0.0.1.
 *
 * <p>The HTTP/2 scenarios ({@code --scenarios h2,grpc}) drive the targets that can serve them with
 * {@code h2load} over h2c with prior knowledge: the small body, and unary gRPC calls to a grpc-java
 * echo server ({@link GrpcUpstream}). A target is checked with a few requests first and left out,
 * with the reason in the report, if it cannot serve one.
 *
 * <p>The WebSocket scenarios ({@code --scenarios ws}: {@code ws-64} and {@code ws-16k}) echo
 * binary messages of 64 bytes and 16 KB through the targets that proxy WebSocket to a Jetty echo
 * upstream in a JVM of its own ({@link WebSocketEchoUpstream}), from the harness's own client
 * ({@link WebSocketLoad}: one message in flight per connection), and the same load straight to the
 * echo as the {@code direct} baseline, in the same rounds.
 *
 * <p>Besides the report, {@code rounds.csv} keeps every measured round of every target.
 *
 * <p>Run it through {@code src/bench/compare.sh}, which installs nginx, wrk, HAProxy and h2load when
 * missing and builds the Spring Cloud Gateway jar ({@code src/bench/scg}) when it is missing.
 */
public final class LoadHarness {
    /**
     * What each run asks for. The first four over HTTP/1.1 with wrk; {@code h2} and {@code grpc}
     * over h2c with prior knowledge with h2load, several streams per connection, the proxy reaching
     * the upstream as it does for HTTP/1.1 clients ({@code h2}: nginx over HTTP/1.1) or over HTTP/2
     * ({@code grpc}: unary calls to a gRPC server).
     */
    enum Scenario {
        SMALL("small", "/ok/small.txt", false),
        LARGE("64k", "/ok/64k.bin", false),
        REFUSED("refused", "/refused/x", false),
        BLACKHOLE("blackhole", "/blackhole/x", false),
        H2("h2", "/ok/small.txt", true),
        GRPC("grpc", GrpcUpstream.PATH, true),
        WS_64("ws-64", WEBSOCKET_PATH, 64),
        WS_16K("ws-16k", WEBSOCKET_PATH, 16 * 1024),
        /** The small body on a freshly started target, second by second from its first request ({@link Warmup}). */
        WARMUP("warmup", "/ok/small.txt", false);

        /** The scenarios a run has when --scenarios does not say. */
        static final List<Scenario> HTTP1 = List.of(SMALL, LARGE, REFUSED, BLACKHOLE);
        /** What {@code --scenarios ws} stands for: both message sizes. */
        static final List<Scenario> WEBSOCKET = List.of(WS_64, WS_16K);

        final String label;
        final String path;
        /** Whether the client speaks h2c (h2load) rather than HTTP/1.1 (wrk). */
        final boolean http2;
        /** The size of each message of a WebSocket echo scenario; 0 for the others. */
        final int messageBytes;

        Scenario(String label, String path, boolean http2) {
            this.label = label;
            this.path = path;
            this.http2 = http2;
            this.messageBytes = 0;
        }

        Scenario(String label, String path, int messageBytes) {
            this.label = label;
            this.path = path;
            this.http2 = false;
            this.messageBytes = messageBytes;
        }

        /** @return whether the harness's WebSocket client loads it (echoes through the WebSocket upstream) */
        boolean webSocket() {
            return messageBytes > 0;
        }

        /** @return whether wrk loads it in rounds on the targets that stay up (not the warm-up series) */
        boolean wrk() {
            return !http2 && !webSocket() && !warmup();
        }

        /** @return whether it is the warm-up series, measured on targets of its own started for it */
        boolean warmup() {
            return this == WARMUP;
        }

        /**
         * @param label a scenario's label, or {@code ws} for both WebSocket scenarios
         * @return the scenarios it names
         */
        static List<Scenario> of(String label) {
            if (label.equals("ws")) {
                return WEBSOCKET;
            }
            for (Scenario scenario : values()) {
                if (scenario.label.equals(label)) {
                    return List.of(scenario);
                }
            }
            throw new IllegalArgumentException("--scenarios: " + label
                    + " (expected: small, 64k, refused, blackhole, h2, grpc, ws (ws-64 and ws-16k), warmup)");
        }
    }

    /** The WebSocket scenarios' path: routed to the echo upstream by every target that proxies WebSocket. */
    static final String WEBSOCKET_PATH = "/ws/echo";

    /**
     * One measured point: medians over its rounds, sums of counts, and each round's req/s; the
     * target's CPU time per request, and the upstream's while this target was loaded (the nginx
     * upstream's, for gRPC the harness's JVM, where the gRPC upstream runs, for WebSocket the echo
     * upstream's process; 0 in results written before it was measured); and the load client's
     * where the harness can tell (WebSocket: the harness's JVM, where the client runs; 0 for the
     * others). On the WebSocket scenarios a request is one message echoed: req/s is messages/s,
     * p50 and p99 a message's round trip, socket errors the connections that failed, non-2xx
     * the echoes that came back wrong. At the end of the point: the target's live heap after a full
     * collection ({@link ProcessStats#liveHeapKb}; JVM targets only, -1 for the others, 0 in results
     * written before it was measured) and its threads (/proc status, with its children's where its
     * peak RSS counts them; 0 where unknown).
     */
    record Row(String target, String scenario, int connections, double requestsPerSecond, double p50Millis,
            double p99Millis, long requests, long socketErrors, long non2xx, long peakRssKb,
            List<Double> roundRequestsPerSecond, double cpuMicrosPerRequest, double upstreamCpuMicrosPerRequest,
            double clientCpuMicrosPerRequest, long heapAfterGcKb, long threads) {
    }

    /** One measured round of one target, for the raw numbers ({@code rounds.csv}). */
    record Round(String scenario, int connections, int round, String target, Wrk.Result result,
            double cpuMicrosPerRequest, double upstreamCpuMicrosPerRequest, double clientCpuMicrosPerRequest) {
    }

    /** One sample of the gateway's resources during the soak. */
    record SoakSample(int round, long rssKb, long threads, long openFiles, long heapAfterGcKb) {
    }

    private final Options options;
    private final Wrk wrk;
    private final H2load h2load;
    private final List<Row> rows = new ArrayList<>();
    private final List<Round> rounds = new ArrayList<>();
    private final List<SoakSample> soak = new ArrayList<>();
    private final List<Warmup.Series> warmups = new ArrayList<>();
    /** What the run could not measure, and why; for the report. */
    private final List<String> notes = new ArrayList<>();
    /** What was checked once the measured rounds were over (spans exported, none dropped); for the report. */
    private final List<String> checks = new ArrayList<>();
    /** The gRPC scenario's upstream and the body h2load POSTs to it; null without that scenario. */
    private GrpcUpstream grpc;
    private H2load.Post grpcPost;
    /** The nginx upstream of /ok/. */
    private Process upstream;
    /** The WebSocket scenarios' echo upstream, its port and the load client; null and 0 without them. */
    private Process webSocketEcho;
    private int webSocketPort;
    private WebSocketLoad webSocketLoad;

    private LoadHarness(Options options) {
        this.options = options;
        this.wrk = new Wrk(options.wrk);
        this.h2load = new H2load(options.h2load, options.streams);
    }

    /**
     * @param args see {@link Options#parse}
     * @throws Exception if a step fails; the processes it started are stopped
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--fault-soak")) {
            // Hours of faults under load, one gateway: its own mode (FaultSoak), no peers to compare.
            FaultSoak.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (List.of(args).contains("--help")) {
            System.out.println(Options.USAGE);
            return;
        }
        if (args.length == 2 && args[0].equals("--report")) {
            Report.read(Path.of(args[1])).write(Path.of(args[1]));
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        new LoadHarness(options).run();
    }

    /** A target that is up, on its port (HTTP/1.1) and its h2c port. */
    private record Running(Target target, Process process, int port, int h2Port) {
    }

    private void run() throws Exception {
        // nginx's workers run as an unprivileged user: they must read the files served from here.
        Path work = Files.createTempDirectory("gatewise-bench",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<Process> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(LoadHarness::stop)));
        boolean http2 = options.scenarios.stream().anyMatch(scenario -> scenario.http2);
        boolean webSocket = options.scenarios.stream().anyMatch(Scenario::webSocket);
        try (BlackholeUpstream blackhole = BlackholeUpstream.start()) {
            int okPort = freePort();
            upstream = startUpstream(okPort, work);
            started.add(upstream);
            awaitReady(okPort, upstream, work);
            if (options.scenarios.contains(Scenario.GRPC)) {
                grpc = GrpcUpstream.start();
                grpcPost = new H2load.Post(GrpcUpstream.writeRequestBody(work),
                        List.of("content-type: application/grpc", "te: trailers"));
            }
            if (webSocket) {
                webSocketPort = freePort();
                webSocketEcho = WebSocketEchoUpstream.start(Options.classpath(), options.jvmFlags, webSocketPort, work);
                started.add(webSocketEcho);
                awaitReady(webSocketPort, webSocketEcho, work);
                webSocketLoad = new WebSocketLoad();
            }
            List<Target> toStart = options.targets();
            int tracesPort = 0;
            if (toStart.stream().anyMatch(Target::exportsSpans)) {
                tracesPort = freePort();
                Process sink = startTraceSink(tracesPort, work);
                started.add(sink);
                awaitListening(tracesPort, sink, work);
            }
            Target.Upstreams upstreams = new Target.Upstreams(okPort, ClosedPort.find(), blackhole.port(),
                    options.connectTimeoutMillis, grpc == null ? 0 : grpc.port(), webSocketPort, tracesPort);
            if (options.scenarios.contains(Scenario.WARMUP)) {
                // First, while no other target is up: each started fresh, measured alone, then stopped.
                for (int connections : options.connections) {
                    for (Target target : toStart) {
                        warmup(target, upstreams, work, connections, http2, started);
                    }
                }
            }
            List<Running> targets = new ArrayList<>();
            // A run of the warm-up series alone starts no target to keep up.
            for (Target target : options.scenarios.stream().allMatch(Scenario::warmup) ? List.<Target>of() : toStart) {
                int port = freePort();
                int h2Port = !http2 ? 0 : target.ownH2Listener() ? freePort() : port;
                Process process = target.start(new Target.Listeners(port, h2Port), upstreams, work);
                started.add(process);
                awaitReady(target, port, process, work);
                targets.add(new Running(target, process, port, h2Port));
            }
            for (Scenario scenario : options.scenarios) {
                if (scenario.warmup()) {
                    continue;
                }
                List<Running> able = scenario.wrk() ? targets : able(targets, scenario);
                if (able.isEmpty()) {
                    continue;
                }
                for (int connections : options.connections) {
                    measure(able, scenario, connections);
                }
            }
            for (Running running : targets) {
                String said = running.target().afterRun();
                if (said != null) {
                    checks.add(said);
                }
            }
            if (tracesPort > 0) {
                checks.add(traceSinkSummary(work));
            }
            for (Running running : targets) {
                if (options.soakRounds > 0 && running.target().name().equals("gatewise")) {
                    soak(running.process(), running.port());
                }
            }
        } finally {
            started.forEach(LoadHarness::stop);
            if (grpc != null) {
                grpc.close();
            }
        }
        deleteRecursively(work);
        notes.forEach(note -> System.out.println("not measured: " + note));
        checks.forEach(check -> System.out.println("after the run: " + check));
        Report report = new Report(rows, soak, options.describe(), notes, checks, warmups);
        report.write(options.out);
        writeRounds(options.out.resolve("rounds.csv"));
        if (!warmups.isEmpty()) {
            Files.writeString(options.out.resolve("warmup.csv"), Warmup.csv(warmups));
        }
        System.out.println(report.markdown());
        System.out.println("Results in " + options.out.toAbsolutePath());
    }

    private Process startUpstream(int port, Path work) throws IOException {
        Path www = Files.createDirectories(work.resolve("www/ok"));
        Files.writeString(www.resolve("small.txt"), "hello from the upstream\n");
        byte[] large = new byte[64 * 1024];
        Arrays.fill(large, (byte) 'x');
        Files.write(www.resolve("64k.bin"), large);
        String config = "daemon off;\nworker_processes 1;\npid " + work.resolve("upstream.pid") + ";\n"
                + "error_log " + work.resolve("upstream-error.log") + ";\n"
                + "events { worker_connections 4096; }\n"
                + "http {\n  access_log off;\n  keepalive_requests 1000000;\n"
                // A backlog for bursts of new connections: a proxy that keeps 64 idle connections to it (nginx)
                // opens one per request beyond them, 640 at once under h2load -c64 -m10; with nginx's default
                // 511, dropped SYNs wait out the 1 s connect timeout and come back as 504s.
                + "  server { listen 127.0.0.1:" + port + " backlog=4096; root " + work.resolve("www") + "; }\n}\n";
        Path file = work.resolve("upstream.conf");
        Files.writeString(file, config);
        return Target.launch(List.of(options.nginx, "-c", file.toString(), "-p", work.toString()), work, "upstream");
    }

    /**
     * Starts the OTLP sink of the targets that export spans: an nginx of its own (not the upstream's,
     * whose CPU time the report counts) that answers every POST to {@code /v1/traces} 200 with no
     * body, as a collector that keeps up would, and logs each request's method, status and body length.
     */
    private Process startTraceSink(int port, Path work) throws IOException {
        String config = "daemon off;\nworker_processes 1;\npid " + work.resolve("traces.pid") + ";\n"
                + "error_log " + work.resolve("traces-error.log") + ";\n"
                + "events { worker_connections 1024; }\n"
                + "http {\n  keepalive_requests 1000000;\n  client_max_body_size 0;\n"
                // $content_length: $request_length leaves out a body nginx discarded, as it does for these.
                + "  log_format sink '$request_method $status $content_length';\n"
                + "  server {\n    listen 127.0.0.1:" + port + ";\n"
                + "    access_log " + work.resolve("traces-access.log") + " sink;\n"
                + "    location = /v1/traces { return 200; }\n"
                + "    location / { return 404; }\n  }\n}\n";
        Path file = work.resolve("traces.conf");
        Files.writeString(file, config);
        return Target.launch(List.of(options.nginx, "-c", file.toString(), "-p", work.toString()), work, "traces");
    }

    /** @return what the OTLP sink received over the run, from its access log */
    private static String traceSinkSummary(Path work) throws IOException {
        Path log = work.resolve("traces-access.log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        long posts = lines.stream().filter(line -> line.startsWith("POST 200 ")).count();
        long bytes = lines.stream().filter(line -> line.matches("POST 200 \\d+"))
                .mapToLong(line -> Long.parseLong(line.substring("POST 200 ".length()))).sum();
        return String.format(Locale.ROOT, "the OTLP sink answered %d POSTs to /v1/traces with 200 (%.1f MB in all;"
                + " %d requests of any kind)", posts, bytes / 1e6, lines.size());
    }

    /** Waits until something accepts connections on the port (a server with no route to check with a request). */
    private static void awaitListening(int port, Process process, Path work) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("exited with " + process.exitValue() + " before listening on port " + port
                        + "; logs in " + work);
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IOException("nothing listened on port " + port + " within 60 s; logs in " + work);
    }

    /**
     * Measures one point on every target: a warm-up each, then rounds in which every target runs
     * once, in a rotated order, so drift on a shared machine falls on all of them alike. A row
     * keeps the median of its rounds and every round's req/s, for ratios taken round by round.
     */
    private void measure(List<Running> targets, Scenario scenario, int connections)
            throws IOException, InterruptedException {
        List<List<Wrk.Result>> results = new ArrayList<>();
        long[] cpuTicks = new long[targets.size()];
        long[] upstreamTicks = new long[targets.size()];
        long[] clientTicks = new long[targets.size()];
        if (connections == options.connections[0] && scenario.wrk()) {
            // Right before the warm-up, which sends the same: no earlier failure changes a fail-fast target's state.
            for (Running running : targets) {
                System.out.printf("%-20s answers %-14s with %d%n", running.target().name(), scenario.path,
                        status(running, scenario));
            }
        }
        for (Running running : targets) {
            load(running, scenario, connections, options.warmupSeconds);
            results.add(new ArrayList<>());
        }
        for (int round = 0; round < options.rounds; round++) {
            for (int i = 0; i < targets.size(); i++) {
                int index = (i + round) % targets.size();
                Running measured = targets.get(index);
                long ticksBefore = targetTicks(measured);
                long upstreamBefore = upstreamTicks(scenario);
                long clientBefore = clientTicks(scenario);
                Wrk.Result result = load(measured, scenario, connections, options.seconds);
                long ticks = targetTicks(measured) - ticksBefore;
                long upstreamUsed = upstreamTicks(scenario) - upstreamBefore;
                long clientUsed = clientTicks(scenario) - clientBefore;
                cpuTicks[index] += ticks;
                upstreamTicks[index] += upstreamUsed;
                clientTicks[index] += clientUsed;
                results.get(index).add(result);
                rounds.add(new Round(scenario.label, connections, round + 1, measured.target().name(), result,
                        cpuMicros(ticks, result.requests()), cpuMicros(upstreamUsed, result.requests()),
                        cpuMicros(clientUsed, result.requests())));
                System.out.printf("  round %d %-20s %-9s c=%-4d %10.1f %s  p50 %8.2f ms  p99 %8.2f ms%n", round + 1,
                        targets.get(index).target().name(), scenario.label, connections, result.requestsPerSecond(),
                        scenario.webSocket() ? "msg/s" : "req/s", result.p50Millis(), result.p99Millis());
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            Running running = targets.get(i);
            List<Wrk.Result> runs = results.get(i);
            Row row = new Row(running.target().name(), scenario.label, connections,
                    median(runs.stream().mapToDouble(Wrk.Result::requestsPerSecond).toArray()),
                    median(runs.stream().mapToDouble(Wrk.Result::p50Millis).toArray()),
                    median(runs.stream().mapToDouble(Wrk.Result::p99Millis).toArray()),
                    runs.stream().mapToLong(Wrk.Result::requests).sum(),
                    runs.stream().mapToLong(Wrk.Result::socketErrors).sum(),
                    runs.stream().mapToLong(Wrk.Result::non2xx).sum(),
                    running.process() == null ? 0
                            : Target.peakRssKb(running.process().toHandle(), running.target().countsChildren()),
                    runs.stream().map(Wrk.Result::requestsPerSecond).toList(),
                    cpuMicros(cpuTicks[i], runs.stream().mapToLong(Wrk.Result::requests).sum()),
                    cpuMicros(upstreamTicks[i], runs.stream().mapToLong(Wrk.Result::requests).sum()),
                    cpuMicros(clientTicks[i], runs.stream().mapToLong(Wrk.Result::requests).sum()),
                    heapAfterGcKb(running), threads(running));
            rows.add(row);
            System.out.printf("%-20s %-9s c=%-4d %10.1f req/s  p50 %8.2f ms  p99 %8.2f ms  errors %d  non-2xx %d"
                    + "  CPU %.1f us/req (upstream %.1f, client %.1f)  heap after GC %d KB  threads %d%n",
                    row.target(), row.scenario(), connections,
                    row.requestsPerSecond(), row.p50Millis(), row.p99Millis(), row.socketErrors(), row.non2xx(),
                    row.cpuMicrosPerRequest(), row.upstreamCpuMicrosPerRequest(), row.clientCpuMicrosPerRequest(),
                    row.heapAfterGcKb(), row.threads());
        }
    }

    /**
     * The warm-up series of one target ({@link Warmup}): starts it, waits for its first 200, loads
     * the small body with back-to-back 1 s wrk runs for {@code --cold-seconds}, reads its memory,
     * then stops it.
     */
    private void warmup(Target target, Target.Upstreams upstreams, Path work, int connections, boolean http2,
            List<Process> started) throws IOException, InterruptedException {
        int port = freePort();
        int h2Port = !http2 ? 0 : target.ownH2Listener() ? freePort() : port;
        long launched = System.nanoTime();
        Process process = target.start(new Target.Listeners(port, h2Port), upstreams, work);
        started.add(process);
        try {
            awaitReady(target, port, process, work);
            double readySeconds = (System.nanoTime() - launched) / 1e9;
            Running running = new Running(target, process, port, h2Port);
            String url = url(running, Scenario.WARMUP);
            List<Warmup.Interval> intervals = new ArrayList<>();
            long first = System.nanoTime();
            for (int second = 1; second <= options.coldSeconds; second++) {
                double start = (System.nanoTime() - first) / 1e9;
                Wrk.Result result = wrk.run(url, connections, 1);
                double end = (System.nanoTime() - first) / 1e9;
                intervals.add(new Warmup.Interval(second, start, end, result.requestsPerSecond(), result.requests(),
                        result.socketErrors(), result.non2xx()));
            }
            Warmup.Series series = Warmup.series(target.name(), connections, readySeconds, intervals,
                    Target.peakRssKb(process.toHandle(), target.countsChildren()), heapAfterGcKb(running),
                    threads(running));
            warmups.add(series);
            System.out.printf(Locale.ROOT, "warmup %-20s c=%-4d ready after %.1f s, req/s each second %s; steady"
                    + " %.0f, time to 90 %% %.1f s%n", target.name(), connections, readySeconds,
                    Warmup.rates(intervals), series.steadyRequestsPerSecond(), series.timeTo90Seconds());
        } finally {
            stop(process);
            started.remove(process);
        }
    }

    /**
     * One run of the scenario's load tool against a target: wrk for HTTP/1.1, h2load for h2c. A
     * gRPC run also checks that the upstream answered at least as many calls as h2load counted
     * successes: a proxy's own answer in a 200 (a gRPC error) would count there, not here.
     */
    private Wrk.Result load(Running running, Scenario scenario, int connections, int seconds)
            throws IOException, InterruptedException {
        if (scenario.webSocket()) {
            Wrk.Result result = webSocketLoad.run(webSocketUri(running, scenario), connections, scenario.messageBytes,
                    seconds);
            // More frames than messages: the echoes came fragmented (the echo upstream sends each in one frame).
            System.out.printf(Locale.ROOT, "    ws %s %s c=%d: %d messages echoed, %d data frames received (%.2f a"
                    + " message), %d connections failed, %d wrong echoes%n", running.target().name(), scenario.label,
                    connections, result.requests(), webSocketLoad.lastFrames(),
                    webSocketLoad.lastFrames() / (double) Math.max(1, result.requests()), result.socketErrors(),
                    result.non2xx());
            return result;
        }
        if (!scenario.http2) {
            return wrk.run(url(running, scenario), connections, seconds);
        }
        long callsBefore = grpc == null ? 0 : grpc.calls();
        H2load.Result result = h2load.run(h2Url(running, scenario), connections, seconds,
                scenario == Scenario.GRPC ? grpcPost : null);
        if (!"h2c".equals(result.protocol())) {
            throw new IOException(running.target().name() + " " + scenario.label + ": h2load negotiated "
                    + result.protocol() + ", not h2c");
        }
        if (scenario == Scenario.GRPC && grpc.calls() - callsBefore < result.succeeded()) {
            String note = String.format(Locale.ROOT, "%s grpc c=%d: h2load counted %d successes, the upstream"
                    + " answered %d calls", running.target().name(), connections, result.succeeded(),
                    grpc.calls() - callsBefore);
            System.out.println("WARNING " + note);
            notes.add(note);
        }
        System.out.printf(Locale.ROOT, "    h2load %s %s c=%d m=%d: %d done, %d succeeded, %d failed (%d errored);"
                + " time for request min %.2f / mean %.2f / max %.2f / sd %.2f ms%n", running.target().name(),
                scenario.label, connections, options.streams, result.done(), result.succeeded(), result.failed(),
                result.errored(), result.minMillis(), result.meanMillis(), result.maxMillis(), result.sdMillis());
        return result.asLoad();
    }

    /**
     * @return the targets that serve an HTTP/2 or WebSocket scenario: those set up for it whose
     *     check succeeded (h2c: a few requests, and for gRPC also a call of grpc-java's client that
     *     reached the upstream; WebSocket: one message echoed unchanged), and for WebSocket the
     *     direct baseline last; each other goes to the report's notes with the reason
     */
    private List<Running> able(List<Running> targets, Scenario scenario) throws InterruptedException {
        List<Running> able = new ArrayList<>();
        List<Running> candidates = new ArrayList<>(targets);
        if (scenario.webSocket()) {
            candidates.add(new Running(Target.direct(), null, webSocketPort, 0));
        }
        for (Running running : candidates) {
            String name = running.target().name();
            String reason = running.target().cannot(scenario);
            if (reason == null) {
                reason = scenario.webSocket()
                        ? webSocketLoad.check(webSocketUri(running, scenario), scenario.messageBytes)
                        : check(running, scenario);
            }
            if (reason == null) {
                able.add(running);
                System.out.printf("%-20s serves %-14s over %s%n", name, scenario.path,
                        scenario.webSocket() ? "WebSocket" : "h2c");
            } else {
                notes.add(name + " " + scenario.label + ": " + reason);
                System.out.printf("%-20s not measured on %s: %s%n", name, scenario.label, reason);
            }
        }
        return able;
    }

    /** @return null if the target serves the scenario over h2c, else what went wrong */
    private String check(Running running, Scenario scenario) throws InterruptedException {
        long callsBefore = grpc == null ? 0 : grpc.calls();
        try {
            H2load.Result probe = h2load.probe(h2Url(running, scenario), scenario == Scenario.GRPC ? grpcPost : null);
            if (!"h2c".equals(probe.protocol()) || probe.succeeded() != probe.done() || probe.done() == 0) {
                return "no success over h2c for h2load's check requests (protocol " + probe.protocol() + ": "
                        + probe.done() + " done, " + probe.succeeded() + " succeeded, " + probe.non2xx() + " not 2xx, "
                        + probe.errored() + " errored)";
            }
            if (scenario == Scenario.GRPC) {
                String answer = GrpcUpstream.call(running.h2Port());
                if (!GrpcUpstream.MESSAGE.equals(answer)) {
                    return "grpc-java's call answered \"" + answer + "\", not the echo";
                }
                long reached = grpc.calls() - callsBefore;
                if (reached != probe.succeeded() + 1) {
                    return "of " + (probe.succeeded() + 1) + " calls that succeeded at the client, " + reached
                            + " reached the upstream";
                }
            }
            return null;
        } catch (IOException e) {
            return "h2load's check failed: " + e.getMessage().lines().limit(3).reduce((a, b) -> a + " / " + b)
                    .orElse("");
        } catch (io.grpc.StatusRuntimeException e) {
            return "grpc-java's call ended with " + e.getStatus();
        }
    }

    /**
     * @return the CPU time the scenario's upstream used so far, in clock ticks: the gRPC server's
     *     is the harness JVM's (h2load, a child process, not counted), the others' nginx's
     */
    private long upstreamTicks(Scenario scenario) {
        if (scenario.webSocket()) {
            return ProcessStats.cpuTicks(webSocketEcho.toHandle(), false);
        }
        return scenario == Scenario.GRPC ? ProcessStats.cpuTicks(ProcessHandle.current(), false)
                : ProcessStats.cpuTicks(upstream.toHandle(), true);
    }

    /** @return the CPU time the load client used so far, in clock ticks, where it runs in this JVM (WebSocket); else 0 */
    private static long clientTicks(Scenario scenario) {
        return scenario.webSocket() ? ProcessStats.cpuTicks(ProcessHandle.current(), false) : 0;
    }

    /**
     * @return the target's live heap after the full collection jcmd forces, in KB: JVM targets only
     *     (-1 for the others and the direct baseline, and where jcmd cannot tell). Read once a point's
     *     rounds are over: the collection it forces falls before the next point's warm-up run
     */
    private static long heapAfterGcKb(Running running) throws IOException, InterruptedException {
        return running.process() == null || !ProcessStats.isJvm(running.process().toHandle()) ? -1
                : ProcessStats.liveHeapKb(running.process().pid());
    }

    /** @return the target's threads now (with its children's where it counts them: nginx's workers); 0 if unknown */
    private static long threads(Running running) {
        return running.process() == null ? 0 : ProcessStats.sum(running.process().toHandle(),
                running.target().countsChildren(), pid -> ProcessStats.procStatus(pid, "Threads:"));
    }

    /** @return the CPU time the target used so far, in clock ticks; 0 for the direct baseline, which has no process */
    private static long targetTicks(Running running) {
        return running.process() == null ? 0
                : ProcessStats.cpuTicks(running.process().toHandle(), running.target().countsChildren());
    }

    /** @return the target's CPU time per request over the measured rounds, in microseconds; 0 if unknown */
    private static double cpuMicros(long ticks, long requests) {
        return requests == 0 ? 0 : (double) ticks * ProcessStats.MICROS_PER_TICK / requests;
    }

    /** @return the status one request to the scenario's path gets, for the log: each target answers failures its own way */
    private static int status(Running running, Scenario scenario) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url(running, scenario)).toURL().openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(10_000);
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static String url(Running running, Scenario scenario) {
        return "http://127.0.0.1:" + running.port() + scenario.path;
    }

    /** @return the scenario's WebSocket URL on the target's port (the direct baseline's: the echo upstream's) */
    private static URI webSocketUri(Running running, Scenario scenario) {
        return URI.create("ws://127.0.0.1:" + running.port() + scenario.path);
    }

    /**
     * Writes every measured round of every target: the numbers the rows' medians come from, with
     * each round's CPU time per request (target, upstream, load client where known).
     */
    private void writeRounds(Path file) throws IOException {
        StringBuilder csv = new StringBuilder("scenario,connections,round,target,requests_per_second,p50_ms,p99_ms,"
                + "requests,socket_errors,non2xx,cpu_us_per_request,upstream_cpu_us_per_request,"
                + "client_cpu_us_per_request\n");
        for (Round round : rounds) {
            Wrk.Result result = round.result();
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%.1f,%.3f,%.3f,%d,%d,%d,%.1f,%.1f,%.1f%n",
                    round.scenario(), round.connections(), round.round(), round.target(), result.requestsPerSecond(),
                    result.p50Millis(), result.p99Millis(), result.requests(), result.socketErrors(), result.non2xx(),
                    round.cpuMicrosPerRequest(), round.upstreamCpuMicrosPerRequest(), round.clientCpuMicrosPerRequest()));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
    }

    /** @return the scenario's URL on the target's h2c port: h2load speaks h2c with prior knowledge to http:// */
    private static String h2Url(Running running, Scenario scenario) {
        return "http://127.0.0.1:" + running.h2Port() + scenario.path;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Runs the success and refused paths at the highest concurrency again and again, sampling resources. */
    private void soak(Process process, int port) throws IOException, InterruptedException {
        int connections = options.connections[options.connections.length - 1];
        for (int round = 1; round <= options.soakRounds; round++) {
            wrk.run("http://127.0.0.1:" + port + Scenario.SMALL.path, connections, options.seconds);
            wrk.run("http://127.0.0.1:" + port + Scenario.REFUSED.path, connections, options.seconds);
            long pid = process.pid();
            SoakSample sample = new SoakSample(round, ProcessStats.procStatus(pid, "VmRSS:"),
                    ProcessStats.procStatus(pid, "Threads:"), ProcessStats.openFiles(pid), ProcessStats.liveHeapKb(pid));
            soak.add(sample);
            System.out.println("soak " + sample);
        }
    }

    /**
     * Waits until a target should get traffic: until its readiness URL answers 200, when it has
     * one (a Gatewise that warms up first), then until its traffic port serves a 200.
     */
    private static void awaitReady(Target target, int port, Process process, Path work)
            throws IOException, InterruptedException {
        String readiness = target.readiness();
        if (readiness != null) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READINESS_SECONDS);
            while (!answers200(readiness)) {
                if (!process.isAlive()) {
                    throw new IOException("exited with " + process.exitValue() + " before " + readiness
                            + " answered 200; logs in " + work);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(readiness + " did not answer 200 within " + READINESS_SECONDS + " s; logs in "
                            + work);
                }
                Thread.sleep(100);
            }
        }
        awaitReady(port, process, work);
    }

    /** How long a target with a readiness URL may take to turn ready (a warm-up runs first). */
    private static final int READINESS_SECONDS = 360;

    private static boolean answers200(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(1000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void awaitReady(int port, Process process, Path work) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("exited with " + process.exitValue() + " before serving on port " + port
                        + "; logs in " + work);
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
                        + Scenario.SMALL.path).toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(1000);
                if (connection.getResponseCode() == 200) {
                    connection.getInputStream().readAllBytes();
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IOException("nothing served 200 on port " + port + " within 60 s; logs in " + work);
    }

    /** Removes the work folder after a run that succeeded; a failed one keeps its logs there. */
    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
