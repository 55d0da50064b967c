package io.gatewise.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gatewise.faults.SocketUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;

/**
 * The fault soak: steady load on several routes of a gateway in its own process while a fault
 * script, on a fixed seed, kills and restarts upstreams, resets and stalls connections, changes
 * what a name resolves to, reloads the config with routes added and removed, toggles maintenance
 * and drain through the admin API, and sends hostile clients beside the real ones. It samples the
 * gateway's heap after a full collection, RSS, open files, threads and direct memory, and reports
 * per minute what was answered, what was lost, and what the gateway holds.
 *
 * <pre>
 * usage: FaultSoak [--seconds 1800] [--seed 20] [--sample-seconds 60] [--clients 12] [--out DIR]
 *                  [--classpath gatewise.jar:benchmarks.jar] [--jvm "-Xms256m -Xmx256m -XX:+UseParallelGC"]
 * </pre>
 *
 * <p>The gateway process runs the product's own jar ({@code gatewise.jar}: the gateway and its
 * logging) with this module's jar behind it for {@link SoakGateway}.
 */
public final class FaultSoak {
    private static final long HEAD_TIMEOUT_MILLIS = 2000;
    private static final String DEFAULT_CLASSPATH = "sample-webapp/target/gatewise.jar"
            + java.io.File.pathSeparator + "src/bench/jmh/target/benchmarks.jar";

    private FaultSoak() {
    }

    /** The soak's settings. */
    record Options(long seconds, long seed, long sampleSeconds, int clients, Path out, String classpath,
            List<String> jvm) {
        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("unexpected " + args[i]);
                }
                values.put(args[i].substring(2), args[i + 1]);
            }
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException(args[args.length - 1] + ": a value is missing");
            }
            for (String key : values.keySet()) {
                if (!List.of("seconds", "seed", "sample-seconds", "clients", "out", "classpath", "jvm").contains(key)) {
                    throw new IllegalArgumentException("--" + key + ": unknown option (expected: --seconds, --seed,"
                            + " --sample-seconds, --clients, --out, --classpath, --jvm)");
                }
            }
            long seconds = Long.parseLong(values.getOrDefault("seconds", "1800"));
            return new Options(seconds, Long.parseLong(values.getOrDefault("seed", "20")),
                    Long.parseLong(values.getOrDefault("sample-seconds", seconds >= 600 ? "60" : "10")),
                    Integer.parseInt(values.getOrDefault("clients", "12")),
                    Path.of(values.getOrDefault("out", "src/bench/results/soak-faults")),
                    values.getOrDefault("classpath", DEFAULT_CLASSPATH),
                    List.of(values.getOrDefault("jvm", "-Xms256m -Xmx256m -XX:+UseParallelGC").split(" ")));
        }
    }

    /**
     * @param args see the class comment
     * @throws Exception if the soak cannot run
     */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        SoakResult result = run(options);
        System.out.println(result.summary());
        System.exit(result.passed() ? 0 : 1);
    }

    /**
     * @param options the settings
     * @return what the soak saw, also written to the output folder
     * @throws Exception if the soak cannot run
     */
    static SoakResult run(Options options) throws Exception {
        Path work = Files.createTempDirectory("gatewise-soak");
        Files.createDirectories(options.out());
        try (SoakUpstreams upstreams = new SoakUpstreams();
                SocketUpstream resets = SocketUpstream.start(io.gatewise.faults.Faults.resetAfterRequest());
                SocketUpstream stalls = SocketUpstream.start((socket, head) -> Thread.sleep(3000))) {
            SoakUpstreams.Upstream api1 = upstreams.add("api-1", "127.0.0.1");
            SoakUpstreams.Upstream api2 = upstreams.add("api-2", "127.0.0.1");
            SoakUpstreams.Upstream dnsA = upstreams.add("api-dns-a", "127.0.0.2");
            upstreams.add("api-dns-b", "127.0.0.3", dnsA.port());
            SoakUpstreams.Upstream stream1 = upstreams.add("stream-1", "127.0.0.1");
            SoakUpstreams.Upstream stream2 = upstreams.add("stream-2", "127.0.0.1");
            SoakUpstreams.Upstream steady = upstreams.add("steady", "127.0.0.1");
            Path hosts = work.resolve("hosts");
            Files.writeString(hosts, "api.soak 127.0.0.2\n");
            Path config = work.resolve("gateway.yaml");
            java.util.function.IntFunction<String> configText = extra -> config(api1.port(), api2.port(), dnsA.port(),
                    stream1.port(), stream2.port(), steady.port(), resets.port(), stalls.port(), extra);
            Files.writeString(config, configText.apply(-1));
            try (GatewayProcess gateway = GatewayProcess.start(options.classpath(), options.jvm(), config, hosts, work)) {
                return soak(options, gateway, upstreams, List.of(api1, api2), hosts, config, configText,
                        stream1.port());
            }
        }
    }

    private static SoakResult soak(Options options, GatewayProcess gateway, SoakUpstreams upstreams,
            List<SoakUpstreams.Upstream> killable, Path hosts, Path config,
            java.util.function.IntFunction<String> configText, int drainable) throws Exception {
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(64);
        client.setIdleTimeout(Duration.ofSeconds(20).toMillis());
        client.start();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(options.seconds());
        FaultScript.Windows maintenance = new FaultScript.Windows();
        SoakLoad load = new SoakLoad(client, gateway.port(), start, maintenance);
        FaultScript faults = new FaultScript(options.seed(), gateway, killable, hosts,
                new String[] {"127.0.0.2", "127.0.0.3"}, config, configText, maintenance, client, drainable);
        ExecutorService threads = Executors.newCachedThreadPool();
        List<SoakResult.Sample> samples = new ArrayList<>();
        try {
            for (int i = 0; i < options.clients(); i++) {
                threads.submit(load.client(options.seed() * 1000 + i));
            }
            var faultRun = threads.submit(() -> {
                faults.run(deadline);
                return null;
            });
            var hostileRun = threads.submit(() -> {
                faults.hostile(options.seed() + 1, deadline, HEAD_TIMEOUT_MILLIS);
                return null;
            });
            long nextSample = start + TimeUnit.SECONDS.toNanos(options.sampleSeconds());
            while (nextSample <= deadline) {
                TimeUnit.NANOSECONDS.sleep(nextSample - System.nanoTime());
                GatewayProcess.Resources resources = gateway.sample();
                long at = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                samples.add(new SoakResult.Sample(at, resources));
                System.out.println("soak t=" + at + "s " + resources);
                nextSample += TimeUnit.SECONDS.toNanos(options.sampleSeconds());
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(0, deadline - System.nanoTime()));
            load.stop();
            faultRun.get(2, TimeUnit.MINUTES);
            hostileRun.get(2, TimeUnit.MINUTES);
        } finally {
            load.stop();
            threads.shutdown();
            threads.awaitTermination(SoakLoad.REQUEST_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS);
            client.stop();
        }
        SoakResult result = new SoakResult(options.seconds(), options.seed(), load.minutes(), load.lostSamples(),
                faults.actions(), faults.problems(), samples, gateway.errorsWithoutIncident());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
                options.out().resolve("results.json").toFile(), result.json());
        Files.writeString(options.out().resolve("results.md"), result.markdown());
        Files.writeString(options.out().resolve("results.svg"), result.svg());
        return result;
    }

    /** @return the gateway's config: four routes under load, and one more added and removed by reloads */
    static String config(int api1, int api2, int dns, int stream1, int stream2, int steady, int resets, int stalls,
            int extraRoute) {
        String local = "http://127.0.0.1:";
        String text = """
                gateway:
                  name: soak-edge
                  host: 127.0.0.1
                  port: 0
                  dnsCache: { ttl: 1s, keepStale: 5m }
                  limits: { requestHeadTimeout: %dms }
                  shutdownTimeout: 5s
                admin:
                  host: 127.0.0.1
                  port: 0
                  token: %s
                routes:
                  - path: /api/
                    upstreams: [ { url: "%s%d" }, { url: "%s%d" }, { url: "http://api.soak:%d" } ]
                    timeouts: { connect: 1s, response: 5s, idle: 3s }
                    retries: { maxAttempts: 3, budgetPercent: 50, minRetriesPerSecond: 20 }
                    ejection: { consecutiveFailures: 2, baseTime: 2s, maxEjectedPercent: 67 }
                    healthCheck: { path: /health, interval: 1s, unhealthyThreshold: 1 }
                  - path: /stream/
                    upstreams: [ { url: "%s%d" }, { url: "%s%d" } ]
                  - path: /flaky/
                    upstreams: [ { url: "%s%d" }, { url: "%s%d" }, { url: "%s%d" } ]
                    timeouts: { connect: 1s, response: 1s, idle: 1s }
                    retries: { maxAttempts: 3, budgetPercent: 100, minRetriesPerSecond: 50 }
                    ejection: { consecutiveFailures: 1, baseTime: 1s, maxEjectedPercent: 67 }
                  - path: /maint/
                    upstreams: [ { url: "%s%d" } ]
                """.formatted(HEAD_TIMEOUT_MILLIS, GatewayProcess.ADMIN_TOKEN, local, api1, local, api2, dns,
                local, stream1, local, stream2, local, resets, local, stalls, local, steady, local, steady);
        if (extraRoute >= 0) {
            text += "  - path: /extra-" + extraRoute + "/\n    upstreams: [ { url: \"" + local + steady + "\" } ]\n";
        }
        return text;
    }
}
