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
 * <p>Run it through {@code src/bench/compare.sh}, which installs nginx, wrk and HAProxy when
 * missing and builds the Spring Cloud Gateway jar ({@code src/bench/scg}) when it is missing.
 */
public final class LoadHarness {
    /** What each run asks for. */
    enum Scenario {
        SMALL("small", "/ok/small.txt"),
        LARGE("64k", "/ok/64k.bin"),
        REFUSED("refused", "/refused/x"),
        BLACKHOLE("blackhole", "/blackhole/x");

        final String label;
        final String path;

        Scenario(String label, String path) {
            this.label = label;
            this.path = path;
        }

        static Scenario of(String label) {
            for (Scenario scenario : values()) {
                if (scenario.label.equals(label)) {
                    return scenario;
                }
            }
            throw new IllegalArgumentException("--scenarios: " + label + " (expected: small, 64k, refused, blackhole)");
        }
    }

    /** One measured point: medians over its rounds, sums of counts, and each round's req/s. */
    record Row(String target, String scenario, int connections, double requestsPerSecond, double p50Millis,
            double p99Millis, long requests, long socketErrors, long non2xx, long peakRssKb,
            List<Double> roundRequestsPerSecond, double cpuMicrosPerRequest) {
    }

    /** One sample of the gateway's resources during the soak. */
    record SoakSample(int round, long rssKb, long threads, long openFiles, long heapAfterGcKb) {
    }

    private final Options options;
    private final Wrk wrk;
    private final List<Row> rows = new ArrayList<>();
    private final List<SoakSample> soak = new ArrayList<>();

    private LoadHarness(Options options) {
        this.options = options;
        this.wrk = new Wrk(options.wrk);
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

    /** A target that is up, on its port. */
    private record Running(Target target, Process process, int port) {
    }

    private void run() throws Exception {
        // nginx's workers run as an unprivileged user: they must read the files served from here.
        Path work = Files.createTempDirectory("gatewise-bench",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<Process> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(LoadHarness::stop)));
        try (BlackholeUpstream blackhole = BlackholeUpstream.start()) {
            int okPort = freePort();
            started.add(startUpstream(okPort, work));
            awaitReady(okPort, started.get(0), work);
            Target.Upstreams upstreams = new Target.Upstreams(okPort, ClosedPort.find(), blackhole.port(),
                    options.connectTimeoutMillis);
            List<Running> targets = new ArrayList<>();
            for (Target target : options.targets()) {
                int port = freePort();
                Process process = target.start(port, upstreams, work);
                started.add(process);
                awaitReady(port, process, work);
                targets.add(new Running(target, process, port));
            }
            for (Scenario scenario : options.scenarios) {
                for (int connections : options.connections) {
                    measure(targets, scenario, connections);
                }
            }
            for (Running running : targets) {
                if (options.soakRounds > 0 && running.target().name().equals("gatewise")) {
                    soak(running.process(), running.port());
                }
            }
        } finally {
            started.forEach(LoadHarness::stop);
        }
        deleteRecursively(work);
        Report report = new Report(rows, soak, options.describe());
        report.write(options.out);
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
                + "  server { listen 127.0.0.1:" + port + "; root " + work.resolve("www") + "; }\n}\n";
        Path file = work.resolve("upstream.conf");
        Files.writeString(file, config);
        return Target.launch(List.of(options.nginx, "-c", file.toString(), "-p", work.toString()), work, "upstream");
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
        if (connections == options.connections[0]) {
            // Right before the warm-up, which sends the same: no earlier failure changes a fail-fast target's state.
            for (Running running : targets) {
                System.out.printf("%-20s answers %-14s with %d%n", running.target().name(), scenario.path,
                        status(running, scenario));
            }
        }
        for (Running running : targets) {
            wrk.run(url(running, scenario), connections, options.warmupSeconds);
            results.add(new ArrayList<>());
        }
        for (int round = 0; round < options.rounds; round++) {
            for (int i = 0; i < targets.size(); i++) {
                int index = (i + round) % targets.size();
                Running measured = targets.get(index);
                long ticksBefore = ProcessStats.cpuTicks(measured.process().toHandle(), measured.target().countsChildren());
                Wrk.Result result = wrk.run(url(measured, scenario), connections, options.seconds);
                cpuTicks[index] += ProcessStats.cpuTicks(measured.process().toHandle(),
                        measured.target().countsChildren()) - ticksBefore;
                results.get(index).add(result);
                System.out.printf("  round %d %-20s %-9s c=%-4d %10.1f req/s  p50 %8.2f ms  p99 %8.2f ms%n", round + 1,
                        targets.get(index).target().name(), scenario.label, connections, result.requestsPerSecond(),
                        result.p50Millis(), result.p99Millis());
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
                    Target.peakRssKb(running.process().toHandle(), running.target().countsChildren()),
                    runs.stream().map(Wrk.Result::requestsPerSecond).toList(),
                    cpuMicros(cpuTicks[i], runs.stream().mapToLong(Wrk.Result::requests).sum()));
            rows.add(row);
            System.out.printf("%-20s %-9s c=%-4d %10.1f req/s  p50 %8.2f ms  p99 %8.2f ms  errors %d  non-2xx %d"
                    + "  CPU %.1f us/req%n", row.target(), row.scenario(), connections, row.requestsPerSecond(),
                    row.p50Millis(), row.p99Millis(), row.socketErrors(), row.non2xx(), row.cpuMicrosPerRequest());
        }
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

    private static int freePort() throws IOException {
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
