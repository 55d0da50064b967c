package io.gatewise.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The load harness's command line. */
final class Options {
    static final String USAGE = """
            usage: LoadHarness [--smoke] [--seconds N] [--warmup N] [--rounds N] [--connections 16,64,256] [--soak N]
                               [--targets gatewise,gatewise-failfast,jetty,jetty-core,nginx,haproxy,scg] [--jar gatewise.jar]
                               [--jvm "-Xms256m -Xmx256m -XX:+UseParallelGC"]
                               [--scenarios small,64k,refused,blackhole,h2,grpc,ws,warmup] [--streams N] [--cold-seconds N]
                               [--baseline JAR] [--connect-timeout MS] [--out DIR] [--nginx PATH] [--wrk PATH]
                               [--haproxy PATH] [--scg-jar JAR] [--h2load PATH] [--nginx-keepalive N]
              --seconds N      length of one measured run (5); --warmup N: of the warm-up run (3)
              --rounds N       measured runs per point and target, taken in turn (3); rows keep medians
              --baseline JAR   another gatewise.jar, measured as target gatewise-baseline with the same
                               config: an interleaved A/B run of a change
              --targets        jetty: Jetty's plain ProxyServlet; jetty-core: Jetty's core ProxyHandler.Reverse,
                               no servlet layer (the ceiling of a servlet-based proxy);
                               haproxy: Debian's HAProxy, one thread; scg: Spring Cloud Gateway, the jar of
                               src/bench/scg (--scg-jar), with the JVM flags of Gatewise;
                               also gatewise-nometrics: the same jar with gateway.metrics: false (A/B of the meters);
                               gatewise-traced: the same jar with tracing on at samplingRatio 1.0, spans to an
                               OTLP sink on loopback (nginx answering every POST 200) (A/B of tracing);
                               gatewise-warm: the same jar with gateway.warmup (--gateway-warmup, 10s) and an
                               admin listener: the harness waits for its /readyz before the first request;
                               gatewise-footprint: the same jar with --footprint-jvm (default "-Xms96m -Xmx96m
                               -XX:+UseParallelGC -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m") and
                               MALLOC_ARENA_MAX=--footprint-arenas (2);
                               gatewise-cds: the run's flags and -XX:SharedArchiveFile=--cds-archive
                               (sample-webapp/target/gatewise.jsa); gatewise-aot: JDK 25 (--java25) with
                               -XX:AOTCache=--aot-cache (sample-webapp/target/gatewise.aot)
              --scenarios      which paths to load (small, 64k, refused and blackhole by default: HTTP/1.1, wrk -t2);
                               h2: the small body over h2c with prior knowledge, the proxy to nginx as for
                               HTTP/1.1; grpc: unary calls (POST of a length-prefixed message, content-type
                               application/grpc, te: trailers) to /grpc.testing.SimpleService/UnaryRpc, the
                               proxy to a grpc-java echo server over h2c. Both are driven by h2load (Debian's
                               nghttp2-client), -t2, --streams per connection; p50/p99 from its per-request log.
                               Targets: gatewise, nginx (an http2 listener of its own; grpc_pass), jetty and
                               jetty-core (h2 only: their client speaks HTTP/1.1 to the upstream); each is
                               checked with a few requests first (gRPC: and one call of grpc-java's client), and
                               one that fails is left out with the reason in the report;
                               ws: a WebSocket echo, binary messages of 64 bytes (ws-64) and 16 KB (ws-16k),
                               each connection sending the next message once the last came back (req/s is
                               messages/s, p50/p99 a message's round trip), from the harness's own client (one
                               thread, non-blocking sockets) to a Jetty echo upstream in a JVM of its own, through gatewise and
                               nginx (proxy_http_version 1.1, Upgrade and Connection: upgrade passed on), plus
                               direct: the client to the echo with no proxy; a target is checked with one
                               message echoed unchanged first;
                               warmup (only when asked for): each target started fresh, alone, at each
                               --connections, then loaded with the small body from its first request on in
                               back-to-back 1 s wrk runs for --cold-seconds: req/s of every second (warmup.csv),
                               steady req/s (median of the last 10 s) and time to 90 % (to the end of the first
                               second from which on every second reached 90 % of steady), memory at the end
  --cold-seconds N the warmup scenario's length, in 1 s runs (60)
              --streams N      h2 and grpc: concurrent streams per connection, h2load -m (10)
              --nginx-keepalive N  idle connections the nginx target keeps to each upstream (64); beyond
                               them it opens one per request, and it sends one gRPC call per connection
              --smoke          a few seconds per target (1 s warm-up, one 2 s run, 16 connections)
              --report DIR     only write DIR's report again from its results.json
              --soak N         then load Gatewise N more times at the highest concurrency (refused
                               and small), sampling RSS, threads, open files and heap after GC
            LoadHarness --fault-soak [--seconds 1800] [--seed 20] [--sample-seconds 60] [--clients 12] [--out DIR]
                               steady load on several routes while a fault script on a fixed seed kills and
                               restarts upstreams, changes DNS, reloads the config, toggles maintenance and
                               drain, and sends hostile clients; writes src/bench/results/soak-faults""";

    int seconds = 5;
    int warmupSeconds = 3;
    /** The warmup scenario's length: 1 s runs on a freshly started target (not the warm-up run, --warmup). */
    int coldSeconds = 60;
    int rounds = 3;
    int[] connections = {16, 64, 256};
    int soakRounds;
    int connectTimeoutMillis = 1000;
    List<String> targetNames = List.of("gatewise", "gatewise-failfast", "jetty", "jetty-core", "nginx", "haproxy",
            "scg");
    List<LoadHarness.Scenario> scenarios = LoadHarness.Scenario.HTTP1;
    int streams = 10;
    Path jar = Path.of("sample-webapp/target/gatewise.jar");
    /** Another build of Gatewise to measure beside this one (an A/B run of a change); null for none. */
    Path baselineJar;
    // Every JVM in the comparison gets the same flags. The parallel collector, not the default G1:
    // a 256 MB heap is too small for G1 to pay for its own structures (with G1 even Jetty's bare
    // proxy peaked near 380 MB RSS at 256 connections).
    List<String> jvmFlags = List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC");
    Path out = Path.of("src/bench/results");
    String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
    String wrk = "wrk";
    String h2load = "h2load";
    int nginxKeepalive = 64;
    String haproxy = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
    Path scgJar = Path.of("src/bench/scg/target/scg-bench.jar");
    /** gatewise-warm's {@code gateway.warmup}. */
    String gatewayWarmup = "10s";
    /** gatewise-footprint's JVM flags: the memory footprint the container image runs with. */
    List<String> footprintFlags = List.of("-Xms96m", "-Xmx96m", "-XX:+UseParallelGC",
            "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=128m");
    /** gatewise-footprint's {@code MALLOC_ARENA_MAX}: glibc's malloc arenas, which otherwise grow with the threads. */
    String footprintArenas = "2";
    /** gatewise-cds's class data sharing archive. */
    Path cdsArchive = Path.of("sample-webapp/target/gatewise.jsa");
    /** gatewise-aot's java (JDK 25) and its AOT cache. */
    String java25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    Path aotCache = Path.of("sample-webapp/target/gatewise.aot");
    boolean smoke;

    static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--smoke")) {
                options.smoke = true;
                options.seconds = 2;
                options.warmupSeconds = 1;
                options.rounds = 1;
                options.connections = new int[] {16};
                options.coldSeconds = 5;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + ": a value is missing");
            }
            String value = args[++i];
            switch (arg) {
                case "--seconds" -> options.seconds = positive(arg, value);
                case "--warmup" -> options.warmupSeconds = positive(arg, value);
                case "--cold-seconds" -> options.coldSeconds = positive(arg, value);
                case "--connections" -> options.connections = Arrays.stream(value.split(","))
                        .mapToInt(c -> positive(arg, c.trim())).toArray();
                case "--soak" -> options.soakRounds = positive(arg, value);
                case "--rounds" -> options.rounds = positive(arg, value);
                case "--connect-timeout" -> options.connectTimeoutMillis = positive(arg, value);
                case "--targets" -> options.targetNames = List.of(value.split(","));
                case "--scenarios" -> options.scenarios = Arrays.stream(value.split(","))
                        .flatMap(label -> LoadHarness.Scenario.of(label.trim()).stream()).distinct().toList();
                case "--jar" -> options.jar = Path.of(value);
                case "--baseline" -> options.baselineJar = Path.of(value);
                case "--jvm" -> options.jvmFlags = List.of(value.trim().split("\\s+"));
                case "--out" -> options.out = Path.of(value);
                case "--nginx" -> options.nginx = value;
                case "--wrk" -> options.wrk = value;
                case "--h2load" -> options.h2load = value;
                case "--streams" -> options.streams = positive(arg, value);
                case "--nginx-keepalive" -> options.nginxKeepalive = positive(arg, value);
                case "--haproxy" -> options.haproxy = value;
                case "--scg-jar" -> options.scgJar = Path.of(value);
                case "--gateway-warmup" -> options.gatewayWarmup = value;
                case "--footprint-jvm" -> options.footprintFlags = List.of(value.trim().split("\\s+"));
                case "--footprint-arenas" -> options.footprintArenas = Integer.toString(positive(arg, value));
                case "--cds-archive" -> options.cdsArchive = Path.of(value);
                case "--java25" -> options.java25 = value;
                case "--aot-cache" -> options.aotCache = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (!Files.isRegularFile(options.jar)) {
            throw new IllegalArgumentException(options.jar + " is missing: mvn -B -q package -DskipTests");
        }
        options.targets();
        return options;
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number above 0)");
    }

    /** @return the targets to run, in order */
    List<Target> targets() {
        Path classpath = classpath();
        List<Target> targets = new ArrayList<>();
        for (String name : targetNames) {
            targets.add(switch (name.trim()) {
                case "gatewise" -> Target.gatewise(jar, jvmFlags);
                case "gatewise-failfast" -> Target.gatewiseFailFast(jar, jvmFlags);
                case "gatewise-baseline" -> Target.gatewise("gatewise-baseline", requireBaseline(), jvmFlags);
                case "gatewise-nometrics" -> Target.gatewiseWithoutMetrics(jar, jvmFlags);
                case "gatewise-traced" -> Target.gatewiseTraced(jar, jvmFlags);
                case "gatewise-warm" -> Target.gatewise("gatewise-warm", jar,
                        Target.Gatewise.of(jvmFlags).warmedUpFor(gatewayWarmup));
                case "gatewise-footprint" -> Target.gatewise("gatewise-footprint", jar, Target.Gatewise.of(footprintFlags)
                        .withEnvironment(Map.of("MALLOC_ARENA_MAX", footprintArenas)));
                case "gatewise-cds" -> Target.gatewise("gatewise-cds", jar, Target.Gatewise.of(
                        plus(jvmFlags, "-XX:SharedArchiveFile=" + requireFile("gatewise-cds", "--cds-archive", cdsArchive))));
                case "gatewise-aot" -> Target.gatewise("gatewise-aot", jar, Target.Gatewise.of(jvmFlags).with(java25,
                        plus(jvmFlags, "-XX:AOTCache=" + requireFile("gatewise-aot", "--aot-cache", aotCache))));
                case "jetty" -> Target.jetty(classpath, jvmFlags);
                case "jetty-core" -> Target.jettyCore(classpath, jvmFlags);
                case "nginx" -> Target.nginx(nginx, nginxKeepalive);
                case "haproxy" -> Target.haproxy(haproxy);
                case "scg" -> Target.scg(requireScgJar(), jvmFlags);
                default -> throw new IllegalArgumentException("unknown target " + name
                        + " (expected: gatewise, gatewise-failfast, gatewise-baseline, gatewise-nometrics, gatewise-traced, gatewise-warm, gatewise-footprint, gatewise-cds, gatewise-aot, jetty, jetty-core, nginx, haproxy, scg)");
            });
        }
        return targets;
    }

    /** @return the jar or classes folder the harness runs from: the Jetty targets and the WebSocket echo start from it */
    static Path classpath() {
        try {
            return Path.of(PlainJettyProxy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path requireScgJar() {
        if (!Files.isRegularFile(scgJar)) {
            throw new IllegalArgumentException("scg needs the Spring Cloud Gateway jar, " + scgJar
                    + ": mvn -B -q -f src/bench/scg/pom.xml package (compare.sh builds it when missing)");
        }
        return scgJar;
    }

    private static List<String> plus(List<String> flags, String flag) {
        List<String> all = new ArrayList<>(flags);
        all.add(flag);
        return all;
    }

    private static Path requireFile(String target, String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(target + " needs " + option + " FILE, an existing file: " + file);
        }
        return file.toAbsolutePath();
    }

    private Path requireBaseline() {
        if (baselineJar == null || !Files.isRegularFile(baselineJar)) {
            throw new IllegalArgumentException("gatewise-baseline needs --baseline JAR, an existing gatewise.jar: "
                    + baselineJar);
        }
        return baselineJar;
    }

    /** @return how the run was made, for the report */
    String describe() {
        boolean http1 = scenarios.stream().anyMatch(LoadHarness.Scenario::wrk);
        boolean http2 = scenarios.stream().anyMatch(scenario -> scenario.http2);
        boolean webSocket = scenarios.stream().anyMatch(LoadHarness.Scenario::webSocket);
        List<String> clients = new ArrayList<>();
        if (http1) {
            clients.add("wrk -t2" + (http2 || webSocket ? " (HTTP/1.1)" : ""));
        }
        if (http2) {
            clients.add("h2load -t2 -m" + streams + " over h2c with prior knowledge");
        }
        if (webSocket) {
            clients.add("the harness's WebSocket client, one thread, one message in flight per connection (binary"
                    + " messages echoed by a Jetty upstream in a JVM of its own; \"direct\": the client to the echo"
                    + " with no proxy)");
        }
        String tools = String.join(", ", clients);
        String warmup = scenarios.contains(LoadHarness.Scenario.WARMUP) ? "warmup scenario: each target started"
                + " fresh, then " + coldSeconds + " back-to-back 1 s wrk -t2 runs of the small body" : "";
        String measured = clients.isEmpty() ? warmup : tools + ", " + warmupSeconds + " s warm-up, then " + rounds
                + " rounds of " + seconds + " s per point taking the targets in turn (medians)"
                + (warmup.isEmpty() ? "" : "; " + warmup);
        return (smoke ? "smoke run: " : "") + measured + "; JVM flags " + String.join(" ", jvmFlags) + "; connect timeout "
                + connectTimeoutMillis + " ms; " + Runtime.getRuntime().availableProcessors()
                + " cores shared by the load tool, the upstreams and the proxy"
                + (nginxKeepalive != 64 && targetNames.contains("nginx") ? "; nginx keeps " + nginxKeepalive
                        + " idle connections per upstream" : "");
    }
}
