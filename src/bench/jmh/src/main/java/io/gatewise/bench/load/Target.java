package io.gatewise.bench.load;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One proxy under test: how to start it on a port, in front of the same three upstreams. */
abstract class Target {
    /**
     * The upstreams every target routes to: /ok/ to nginx, /refused/ to a closed port, /blackhole/
     * to a full backlog, /grpc.testing.SimpleService/ to a gRPC server ({@code grpc}: 0 when the
     * run has no gRPC scenario), and /ws/ to a WebSocket echo server ({@code webSocket}: 0 when the
     * run has no WebSocket scenario); and where a target that exports spans sends them ({@code traces}:
     * the port of an OTLP/HTTP sink that answers every POST 200, 0 when no target of the run exports).
     */
    record Upstreams(int ok, int refused, int blackhole, int connectTimeoutMillis, int grpc, int webSocket,
            int traces) {
        Upstreams(int ok, int refused, int blackhole, int connectTimeoutMillis) {
            this(ok, refused, blackhole, connectTimeoutMillis, 0, 0, 0);
        }

        Upstreams(int ok, int refused, int blackhole, int connectTimeoutMillis, int grpc) {
            this(ok, refused, blackhole, connectTimeoutMillis, grpc, 0, 0);
        }

        Upstreams(int ok, int refused, int blackhole, int connectTimeoutMillis, int grpc, int webSocket) {
            this(ok, refused, blackhole, connectTimeoutMillis, grpc, webSocket, 0);
        }
    }

    /** The route prefix a proxy sends to the WebSocket echo upstream. */
    static final String WEBSOCKET_PREFIX = "/ws/";

    /**
     * Where a target listens.
     *
     * @param http1 the HTTP/1.1 port, where the harness checks it is up
     * @param h2 the port for h2c with prior knowledge: the same as {@code http1} where one listener
     *     takes both, another where the target needs its own ({@link #ownH2Listener()}); 0 when the
     *     run has no HTTP/2 scenario
     */
    record Listeners(int http1, int h2) {
    }

    private final String name;

    Target(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /**
     * @param listeners the ports to listen on
     * @param upstreams where to send each prefix
     * @param work a folder for config files and logs
     * @return the started process; its output goes to a log file in {@code work}
     * @throws IOException if it cannot start
     */
    abstract Process start(Listeners listeners, Upstreams upstreams, Path work) throws IOException;

    /** @return whether h2c needs a listener of its own (nginx: a cleartext {@code http2} listener speaks nothing else) */
    boolean ownH2Listener() {
        return false;
    }

    /**
     * @param scenario a scenario of the run
     * @return why this target cannot serve it as set up here, for the report; null if it may (the
     *     harness then checks one request before it measures)
     */
    String cannot(LoadHarness.Scenario scenario) {
        if (scenario.webSocket()) {
            return "no WebSocket route in its setup here";
        }
        return scenario.http2 ? "no h2c listener in its setup here" : null;
    }

    /** @return whether it sends spans to the run's OTLP sink ({@link Upstreams#traces()}), which the harness then starts */
    boolean exportsSpans() {
        return false;
    }

    /**
     * @return what it says about itself once the measured rounds are over, for the report (the
     *     traced gateway: the spans it dropped); null for nothing
     */
    String afterRun() {
        return null;
    }

    /**
     * @return the URL that answers 200 once it should get traffic (Gatewise's {@code /readyz} when it
     *     warms up before turning ready); null when its first 200 on the traffic port says so
     */
    String readiness() {
        return null;
    }

    /** @return whether its peak memory is the sum over its child processes too (nginx's workers) */
    boolean countsChildren() {
        return false;
    }

    static Process launch(List<String> command, Path work, String name) throws IOException {
        return launch(command, work, name, Map.of());
    }

    static Process launch(List<String> command, Path work, String name, Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * How one Gatewise target runs: which java, with which flags, and what its config adds to the
     * harness's routes.
     *
     * @param java the {@code java} to launch
     * @param jvmFlags its flags, before {@code -jar}
     * @param gatewaySettings added to the {@code gateway} section, such as {@code ", metrics: false"}
     * @param routeSettings added to every route
     * @param traced whether tracing is on, exporting to the run's OTLP sink
     * @param warmup {@code gateway.warmup} (such as {@code 10s}), for which the harness waits for
     *     {@code /readyz} before its first request; null for none
     * @param environment variables set for its process beside the harness's own, such as
     *     {@code MALLOC_ARENA_MAX}
     */
    record Gatewise(String java, List<String> jvmFlags, String gatewaySettings, String routeSettings,
            boolean traced, String warmup, Map<String, String> environment) {
        /** The default: this JVM's java, the run's flags, the config as it is. */
        static Gatewise of(List<String> jvmFlags) {
            return new Gatewise(Target.java(), jvmFlags, "", "", false, null, Map.of());
        }

        Gatewise settings(String gateway, String route) {
            return new Gatewise(java, jvmFlags, gateway, route, traced, warmup, environment);
        }

        Gatewise tracedToSink() {
            return new Gatewise(java, jvmFlags, gatewaySettings, routeSettings, true, warmup, environment);
        }

        Gatewise warmedUpFor(String duration) {
            return new Gatewise(java, jvmFlags, gatewaySettings + ", warmup: " + duration, routeSettings, traced,
                    duration, environment);
        }

        Gatewise with(String otherJava, List<String> flags) {
            return new Gatewise(otherJava, flags, gatewaySettings, routeSettings, traced, warmup, environment);
        }

        Gatewise withEnvironment(Map<String, String> variables) {
            return new Gatewise(java, jvmFlags, gatewaySettings, routeSettings, traced, warmup, Map.copyOf(variables));
        }

        /** @return whether it has an admin listener (traced: to read its drops; warmed up: for readiness) */
        boolean admin() {
            return traced || warmup != null;
        }
    }

    /** Gatewise's executable jar with a config of three routes, its defaults otherwise. */
    static Target gatewise(Path jar, List<String> jvmFlags) {
        return gatewise("gatewise", jar, Gatewise.of(jvmFlags));
    }

    /**
     * Gatewise set to stop trying an upstream that failed once, for 10 s, as nginx does by default
     * ({@code max_fails=1 fail_timeout=10s}): it then answers {@code 503 destination_unavailable}
     * without connecting.
     */
    static Target gatewiseFailFast(Path jar, List<String> jvmFlags) {
        return gatewise("gatewise-failfast", jar, Gatewise.of(jvmFlags).settings("",
                "    ejection: { consecutiveFailures: 1, baseTime: 10s, maxEjectedPercent: 100 }\n"));
    }

    /**
     * The same jar and config as {@link #gatewise(Path, List)} with {@code gateway.metrics: false}:
     * against {@code gatewise}, an interleaved A/B run of what the meters cost.
     */
    static Target gatewiseWithoutMetrics(Path jar, List<String> jvmFlags) {
        return gatewise("gatewise-nometrics", jar, Gatewise.of(jvmFlags).settings(", metrics: false", ""));
    }

    /** The admin token of targets with an admin listener, which the harness reads. */
    private static final String ADMIN_TOKEN = "bench-admin-token-not-secret";

    /**
     * The same jar and config as {@link #gatewise(Path, List)} with tracing on, every request sampled
     * ({@code samplingRatio: 1.0}), spans exported to the run's OTLP sink: against {@code gatewise},
     * an interleaved A/B run of what tracing costs. It also has an admin listener, idle until the
     * measured rounds are over, then asked once for {@code gatewise_tracing_spans_dropped_total}.
     */
    static Target gatewiseTraced(Path jar, List<String> jvmFlags) {
        return gatewise("gatewise-traced", jar, Gatewise.of(jvmFlags).tracedToSink());
    }

    /**
     * @param name the target's name, such as {@code gatewise-baseline} for another build
     * @return that Gatewise jar with the same config as {@link #gatewise(Path, List)}
     */
    static Target gatewise(String name, Path jar, List<String> jvmFlags) {
        return gatewise(name, jar, Gatewise.of(jvmFlags));
    }

    /**
     * @param name the target's name
     * @param setup how it runs
     * @return that Gatewise jar as {@code setup} says, with the harness's routes
     */
    static Target gatewise(String name, Path jar, Gatewise setup) {
        return new Target(name) {
            /** Why this build refused the gRPC route, when it did. */
            private String grpcRefused;
            /** The admin listener's port when it has one, else 0. */
            private int adminPort;

            @Override
            Process start(Listeners listeners, Upstreams upstreams, Path work) throws IOException {
                Path file = work.resolve(name() + ".yaml");
                String sections = "";
                if (setup.admin()) {
                    adminPort = LoadHarness.freePort();
                    sections = adminSection(adminPort);
                }
                if (setup.traced()) {
                    sections += tracingSection(upstreams.traces());
                }
                if (upstreams.grpc() > 0) {
                    Files.writeString(file, gatewiseConfig(listeners.http1(), upstreams, setup.gatewaySettings(),
                            setup.routeSettings(), true) + sections);
                    grpcRefused = checkConfig(jar, file, work);
                }
                if (upstreams.grpc() == 0 || grpcRefused != null) {
                    Files.writeString(file, gatewiseConfig(listeners.http1(), upstreams, setup.gatewaySettings(),
                            setup.routeSettings(), false) + sections);
                }
                List<String> command = new ArrayList<>(List.of(setup.java()));
                command.addAll(setup.jvmFlags());
                command.addAll(List.of("-jar", jar.toString(), "--config", file.toString()));
                return launch(command, work, name(), setup.environment());
            }

            @Override
            String cannot(LoadHarness.Scenario scenario) {
                // h2c on the cleartext port is Gatewise's default where it has HTTP/2: the check request tells.
                // WebSocket too: the check message tells whether this build proxies it.
                return scenario == LoadHarness.Scenario.GRPC && grpcRefused != null
                        ? "this build refuses the gRPC route (protocol: h2): " + grpcRefused : null;
            }

            @Override
            boolean exportsSpans() {
                return setup.traced();
            }

            @Override
            String readiness() {
                return setup.warmup() != null ? "http://127.0.0.1:" + adminPort + "/readyz" : null;
            }

            @Override
            String afterRun() {
                return setup.traced() ? name() + ": " + droppedSpans(adminPort) : null;
            }
        };
    }

    /** @return the admin section of a target that has one: on loopback, with the harness's token */
    static String adminSection(int adminPort) {
        return "admin: { host: 127.0.0.1, port: " + adminPort + ", token: \"" + ADMIN_TOKEN + "\" }\n";
    }

    /** @return the tracing section of a traced target: on, every new trace sampled, spans to the sink */
    static String tracingSection(int traces) {
        return "tracing: { enabled: true, endpoint: \"http://127.0.0.1:" + traces + "/v1/traces\", samplingRatio: 1.0 }\n";
    }

    /** @return the {@code gatewise_tracing_spans_dropped_total} line of its {@code /metrics}, or why there is none */
    private static String droppedSpans(int adminPort) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + adminPort + "/metrics")
                    .toURL().openConnection();
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(10_000);
            connection.setRequestProperty("Authorization", "Bearer " + ADMIN_TOKEN);
            try {
                if (connection.getResponseCode() != 200) {
                    return "/metrics answered " + connection.getResponseCode();
                }
                String metrics = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return metrics.lines().filter(line -> line.startsWith("gatewise_tracing_spans_dropped_total"))
                        .findFirst().orElse("no gatewise_tracing_spans_dropped_total in /metrics");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return "/metrics could not be read: " + e.getMessage();
        }
    }

    /**
     * @param grpc whether to add the route to the gRPC upstream, {@code protocol: h2}
     * @return Gatewise's config: one route per upstream, with the connect timeout every target uses;
     *     the WebSocket echo's route when there is one, with Gatewise's WebSocket defaults
     */
    static String gatewiseConfig(int port, Upstreams upstreams, String gatewaySettings, String routeSettings,
            boolean grpc) {
        String timeouts = "    timeouts: { connect: " + upstreams.connectTimeoutMillis() + "ms }\n" + routeSettings;
        return "gateway: { name: bench, host: 127.0.0.1, port: " + port + gatewaySettings + " }\n"
                + "routes:\n"
                + "  - path: /ok/\n    upstreams: [ { url: \"http://127.0.0.1:" + upstreams.ok() + "\" } ]\n"
                + timeouts
                + "  - path: /refused/\n    upstreams: [ { url: \"http://127.0.0.1:" + upstreams.refused()
                + "\" } ]\n" + timeouts
                + "  - path: /blackhole/\n    upstreams: [ { url: \"http://127.0.0.1:" + upstreams.blackhole()
                + "\" } ]\n" + timeouts
                + (grpc ? "  - path: " + GrpcUpstream.PREFIX + "\n    protocol: h2\n"
                        + "    upstreams: [ { url: \"http://127.0.0.1:" + upstreams.grpc() + "\" } ]\n" + timeouts : "")
                // WebSocket is on by default on every route (routes[].websocket: 5m idle, 1MB messages).
                + (upstreams.webSocket() > 0 ? "  - path: " + WEBSOCKET_PREFIX + "\n"
                        + "    upstreams: [ { url: \"http://127.0.0.1:" + upstreams.webSocket() + "\" } ]\n" + timeouts : "");
    }

    /** @return null if Gatewise's {@code --check-config} accepts the file, else what it said */
    private static String checkConfig(Path jar, Path file, Path work) throws IOException {
        Path log = work.resolve(file.getFileName() + ".check.log");
        Process check = new ProcessBuilder(java(), "-jar", jar.toString(), "--check-config", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return "--check-config did not end";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (check.exitValue() == 0) {
            return null;
        }
        String said = Files.readString(log).replace(work + "/", "").strip().replaceAll("\\s+", " ");
        return said.length() > 300 ? said.substring(0, 300) + "..." : said;
    }

    /** Jetty's plain ProxyServlet, from this module's jar. */
    static Target jetty(Path classpath, List<String> jvmFlags) {
        return plainJetty("jetty-proxyservlet", PlainJettyProxy.class, classpath, jvmFlags);
    }

    /** The row name of Jetty's core reverse proxy ({@code --targets jetty-core}). */
    static final String JETTY_CORE = "jetty-proxyhandler";

    /** Jetty's core reverse proxy ({@code ProxyHandler.Reverse}, no servlet layer), from this module's jar. */
    static Target jettyCore(Path classpath, List<String> jvmFlags) {
        return plainJetty(JETTY_CORE, PlainJettyCoreProxy.class, classpath, jvmFlags);
    }

    private static Target plainJetty(String name, Class<?> main, Path classpath, List<String> jvmFlags) {
        return new Target(name) {
            @Override
            Process start(Listeners listeners, Upstreams upstreams, Path work) throws IOException {
                List<String> command = new ArrayList<>(List.of(java()));
                command.addAll(jvmFlags);
                command.addAll(List.of("-cp", classpath.toString(), main.getName(),
                        Integer.toString(listeners.http1()), Integer.toString(upstreams.ok()), Integer.toString(upstreams.refused()),
                        Integer.toString(upstreams.blackhole()), Integer.toString(upstreams.connectTimeoutMillis())));
                return launch(command, work, name());
            }

            @Override
            String cannot(LoadHarness.Scenario scenario) {
                // Its listener takes h2c beside HTTP/1.1 (PlainJettyProxy.Arguments.serve).
                if (scenario.webSocket()) {
                    return "it proxies no WebSocket upgrade";
                }
                return scenario == LoadHarness.Scenario.GRPC ? "its HttpClient speaks HTTP/1.1 to the upstream"
                        + " (a gRPC server answers HTTP/2 only) and it forwards no trailers, without code of"
                        + " one's own" : null;
            }
        };
    }

    /** The row name of the baseline without a proxy ({@link #direct()}). */
    static final String DIRECT = "direct";

    /**
     * No proxy: the load client straight to the scenario's upstream, measured in the same rounds
     * as the proxies, for what the client and the upstream alone reach on this machine. Only the
     * WebSocket scenarios have it (the harness adds it to them); nothing is started for it.
     */
    static Target direct() {
        return new Target(DIRECT) {
            @Override
            Process start(Listeners listeners, Upstreams upstreams, Path work) {
                throw new UnsupportedOperationException("nothing to start: the load goes to the upstream itself");
            }

            @Override
            String cannot(LoadHarness.Scenario scenario) {
                return scenario.webSocket() ? null : "only the WebSocket scenarios have a direct baseline";
            }
        };
    }

    /** nginx as a reverse proxy: keepalive to the upstream, and an error_page for 502 and 504. */
    static Target nginx(String executable, int keepalive) {
        return new Target("nginx-proxy") {
            @Override
            Process start(Listeners listeners, Upstreams upstreams, Path work) throws IOException {
                Path errors = Files.createDirectories(work.resolve("proxy-errors"));
                Files.writeString(errors.resolve("50x.html"), "<!doctype html><title>Upstream unavailable</title>"
                        + "<h1>The service is not responding</h1><p>Please try again in a few seconds.</p>\n");
                Path file = work.resolve("nginx-proxy.conf");
                Files.writeString(file, nginxConfig(listeners, upstreams, errors, work, nginxVersion(executable),
                        keepalive));
                return launch(List.of(executable, "-c", file.toString(), "-p", work.toString()), work, name());
            }

            @Override
            boolean ownH2Listener() {
                return true;
            }

            @Override
            String cannot(LoadHarness.Scenario scenario) {
                return null;
            }

            @Override
            boolean countsChildren() {
                return true;
            }
        };
    }

    /**
     * @param listeners HTTP/1.1 and, unless 0, h2c with prior knowledge on a server of its own: the
     *     same locations, and the gRPC upstream through {@code grpc_pass} when there is one; the
     *     WebSocket echo, when there is one, on the HTTP/1.1 server only
     * @param errors the folder of the error page
     * @param version nginx's version, such as {@code 1.22.1}: {@code http2 on;} came with 1.25.1,
     *     before it the {@code listen} directive's {@code http2} parameter
     * @param keepalive the idle connections it keeps to each upstream that is up ({@code keepalive}):
     *     beyond them it opens a connection per request, also to the gRPC upstream, since nginx sends
     *     one call per upstream connection
     * @return nginx's config as a reverse proxy: one worker, keepalive to the upstreams, an error_page
     */
    static String nginxConfig(Listeners listeners, Upstreams upstreams, Path errors, Path work, String version,
            int keepalive) {
        String locations = "    proxy_http_version 1.1;\n    proxy_set_header Connection \"\";\n"
                + "    proxy_connect_timeout " + upstreams.connectTimeoutMillis() + "ms;\n"
                + "    location /ok/ { proxy_pass http://ok; }\n"
                + "    location /refused/ { proxy_pass http://refused; }\n"
                + "    location /blackhole/ { proxy_pass http://blackhole; }\n"
                + "    error_page 502 504 /50x.html;\n"
                + "    location = /50x.html { internal; root " + errors + "; }\n";
        String h2 = "";
        if (listeners.h2() > 0) {
            boolean http2On = compareVersions(version, "1.25.1") >= 0;
            h2 = "  server {\n    listen 127.0.0.1:" + listeners.h2() + (http2On ? ";\n    http2 on;\n" : " http2;\n")
                    + locations
                    + (upstreams.grpc() > 0 ? "    grpc_connect_timeout " + upstreams.connectTimeoutMillis() + "ms;\n"
                            + "    location " + GrpcUpstream.PREFIX + " { grpc_pass grpc://grpc; }\n" : "")
                    + "  }\n";
        }
        // One worker, as HAProxy runs one thread: the C proxies use one core, the JVMs both.
        return "daemon off;\nworker_processes 1;\npid " + work.resolve("proxy.pid") + ";\n"
                + "error_log " + work.resolve("proxy-error.log") + " error;\n"
                + "events { worker_connections 4096; }\n"
                + "http {\n  access_log off;\n  keepalive_requests 1000000;\n"
                + "  upstream ok { server 127.0.0.1:" + upstreams.ok() + "; keepalive " + keepalive + "; }\n"
                + "  upstream refused { server 127.0.0.1:" + upstreams.refused() + "; }\n"
                + "  upstream blackhole { server 127.0.0.1:" + upstreams.blackhole() + "; }\n"
                + (upstreams.grpc() > 0 ? "  upstream grpc { server 127.0.0.1:" + upstreams.grpc() + "; keepalive " + keepalive
                        + "; }\n"
                        : "")
                + (upstreams.webSocket() > 0 ? "  upstream ws { server 127.0.0.1:" + upstreams.webSocket() + "; }\n" : "")
                + "  server {\n    listen 127.0.0.1:" + listeners.http1() + ";\n"
                + locations
                + (upstreams.webSocket() > 0 ? webSocketLocation() : "")
                + "  }\n" + h2 + "}\n";
    }

    /**
     * @return nginx's WebSocket proxying as its documentation gives it: HTTP/1.1 to the upstream,
     *     {@code Upgrade} passed on and {@code Connection: upgrade}; the tunnel's idle timeouts at
     *     Gatewise's default idle timeout (5m) rather than nginx's 60 s; the connect timeout is the
     *     server's, as for every location
     */
    private static String webSocketLocation() {
        return "    location " + WEBSOCKET_PREFIX + " {\n"
                + "      proxy_pass http://ws;\n"
                + "      proxy_http_version 1.1;\n"
                + "      proxy_set_header Upgrade $http_upgrade;\n"
                + "      proxy_set_header Connection \"upgrade\";\n"
                + "      proxy_read_timeout 300s;\n"
                + "      proxy_send_timeout 300s;\n"
                + "    }\n";
    }

    /** @return the version {@code nginx -v} prints, such as {@code 1.22.1}; "0" if it printed none */
    static String nginxVersion(String executable) throws IOException {
        Process process = new ProcessBuilder(executable, "-v").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("nginx/([0-9.]+)").matcher(output);
        return version.find() ? version.group(1) : "0";
    }

    /** @return below 0, 0 or above 0 as dotted version {@code a} is before, equal to or after {@code b} */
    static int compareVersions(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int difference = Integer.compare(i < left.length ? Integer.parseInt(left[i]) : 0,
                    i < right.length ? Integer.parseInt(right[i]) : 0);
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }

    /** The row name of the Spring Cloud Gateway target ({@code --targets scg}). */
    static final String SCG = "spring-cloud-gateway";

    /**
     * Spring Cloud Gateway (WebFlux on Netty), the jar of the sibling module {@code src/bench/scg},
     * with the same JVM flags as Gatewise: its defaults, logging at WARN, one route per prefix with
     * the path unchanged, and the connect timeout every target uses. Its upstream pool (elastic,
     * kept alive) is Reactor Netty's default.
     */
    static Target scg(Path jar, List<String> jvmFlags) {
        return new Target(SCG) {
            @Override
            Process start(Listeners listeners, Upstreams upstreams, Path work) throws IOException {
                if (!Files.isRegularFile(jar)) {
                    throw new IOException(jar + " is missing: mvn -B -q -f src/bench/scg/pom.xml package");
                }
                List<String> command = new ArrayList<>(List.of(java()));
                command.addAll(jvmFlags);
                command.addAll(List.of("-jar", jar.toString()));
                command.addAll(scgArguments(listeners.http1(), upstreams));
                return launch(command, work, name());
            }
        };
    }

    /** @return the command-line properties that give the Spring Cloud Gateway target its port and routes */
    static List<String> scgArguments(int port, Upstreams upstreams) {
        String prefix = "--spring.cloud.gateway.server.webflux.";
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port,
                prefix + "httpclient.connect-timeout=" + upstreams.connectTimeoutMillis()));
        String[] names = {"ok", "refused", "blackhole"};
        int[] ports = {upstreams.ok(), upstreams.refused(), upstreams.blackhole()};
        for (int i = 0; i < names.length; i++) {
            String route = prefix + "routes[" + i + "].";
            arguments.add(route + "id=" + names[i]);
            arguments.add(route + "uri=http://127.0.0.1:" + ports[i]);
            arguments.add(route + "predicates[0]=Path=/" + names[i] + "/**");
        }
        return arguments;
    }

    /** The row name of the HAProxy target ({@code --targets haproxy}). */
    static final String HAPROXY = "haproxy";

    /**
     * HAProxy as a reverse proxy, in the foreground: one thread, connections to the upstream kept
     * alive and shared ({@code http-reuse always}), no retry, and an {@code errorfile} page for
     * 502, 503 (refused, connect timeout) and 504, as nginx has its {@code error_page}.
     */
    static Target haproxy(String executable) {
        return new Target(HAPROXY) {
            @Override
            Process start(Listeners listeners, Upstreams upstreams, Path work) throws IOException {
                Path file = work.resolve("haproxy.cfg");
                Files.writeString(file, haproxyConfig(listeners.http1(), upstreams, Files.createDirectories(work.resolve("haproxy-errors"))));
                return launch(List.of(executable, "-db", "-f", file.toString()), work, name());
            }
        };
    }

    /**
     * @param errors a folder to write the error pages into
     * @return HAProxy's config for the three prefixes
     */
    static String haproxyConfig(int port, Upstreams upstreams, Path errors) throws IOException {
        String page = "<!doctype html><title>Upstream unavailable</title>"
                + "<h1>The service is not responding</h1><p>Please try again in a few seconds.</p>\n";
        StringBuilder errorfiles = new StringBuilder();
        for (String status : List.of("502 Bad Gateway", "503 Service Unavailable", "504 Gateway Timeout")) {
            String code = status.substring(0, 3);
            Path errorfile = errors.resolve(code + ".http");
            // A whole HTTP response, sent as is; no "Connection: close", so the client's connection stays open.
            Files.writeString(errorfile, "HTTP/1.1 " + status + "\r\ncontent-type: text/html\r\n"
                    + "cache-control: no-cache\r\ncontent-length: " + page.length() + "\r\n\r\n" + page);
            errorfiles.append("  errorfile ").append(code).append(' ').append(errorfile).append('\n');
        }
        return "global\n  nbthread 1\n  maxconn 4096\n"
                + "defaults\n  mode http\n  option http-keep-alive\n  http-reuse always\n  retries 0\n"
                + "  timeout connect " + upstreams.connectTimeoutMillis() + "ms\n"
                + "  timeout client 60s\n  timeout server 60s\n  timeout http-keep-alive 60s\n"
                + errorfiles
                + "frontend bench\n  bind 127.0.0.1:" + port + "\n"
                + "  use_backend ok if { path_beg /ok/ }\n"
                + "  use_backend refused if { path_beg /refused/ }\n"
                + "  use_backend blackhole if { path_beg /blackhole/ }\n"
                + "backend ok\n  server ok 127.0.0.1:" + upstreams.ok() + "\n"
                + "backend refused\n  server refused 127.0.0.1:" + upstreams.refused() + "\n"
                + "backend blackhole\n  server blackhole 127.0.0.1:" + upstreams.blackhole() + "\n";
    }

    /**
     * @param process a started target
     * @param children whether to add its child processes
     * @return its peak resident memory so far (VmHWM), in KB; 0 where /proc cannot tell
     */
    static long peakRssKb(ProcessHandle process, boolean children) {
        return ProcessStats.sum(process, children, Target::vmHwmKb);
    }

    private static long vmHwmKb(long pid) {
        return ProcessStats.procStatus(pid, "VmHWM:");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
