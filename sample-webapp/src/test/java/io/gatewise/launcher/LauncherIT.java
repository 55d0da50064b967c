package io.gatewise.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.ConfigLoader;
import io.gatewise.config.RouteConfig;
import io.gatewise.demo.EchoUpstream;
import io.gatewise.faults.ClosedPort;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built executable jar, run as a user runs it: {@code java -jar target/gatewise.jar ...}. */
class LauncherIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    @TempDir
    Path dir;

    private static ProcessBuilder java(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[args.length + 3];
        command[0] = java;
        command[1] = "-jar";
        command[2] = System.getProperty("gatewise.jar", "target/gatewise.jar");
        System.arraycopy(args, 0, command, 3, args.length);
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    @Test
    void configuredGatewayProxiesToARealUpstream() throws Exception {
        EchoUpstream upstream = EchoUpstream.start();
        Path config = Files.writeString(dir.resolve("f.yaml"), "gateway:\n  name: edge-it\n  host: 127.0.0.1\n"
                + "routes:\n  - path: /api/\n    upstreams:\n      - url: http://127.0.0.1:" + upstream.port()
                + "\n    timeouts: { connect: 2s, response: 30s, idle: 30s }\n");
        Process gateway = java("--config", config.toString(), "--port", "0").start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                    StandardCharsets.UTF_8));
            String base = null;
            StringBuilder seen = new StringBuilder();
            for (String line = output.readLine(); line != null && base == null; line = output.readLine()) {
                seen.append(line).append('\n');
                Matcher matcher = LISTENING.matcher(line);
                base = matcher.find() ? matcher.group(1) : null;
            }
            assertThat(base).as("startup output:\n" + seen).isNotNull();

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base).resolve("/api/orders?id=7")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("GET /api/orders?id=7 HTTP/1.1").contains("Via: 1.1 edge-it");
        } finally {
            gateway.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
            upstream.close();
        }
    }

    @Test
    void checkConfigOfTheRealJarExitsNonZeroWithTheProblem() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "routes:\n  - path: /api/\n    upstream: x\n");
        Process check = java("--check-config", config.toString()).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).isEqualTo(Main.BAD_CONFIG);
        assertThat(output).contains(config + ":3:5: routes[0].upstream: unknown key (expected one of: "
                + String.join(", ", ConfigLoader.knownKeys(RouteConfig.class)) + ")");
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishAndExitsZero() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server upstream = new Server();
        ServerConnector connector = new ServerConnector(upstream);
        connector.setHost("127.0.0.1");
        upstream.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                arrived.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                response.getWriter().print("finished");
            }
        }), "/*");
        upstream.setHandler(context);
        upstream.start();
        Path config = Files.writeString(dir.resolve("g.yaml"), "gateway: { name: edge-term, host: 127.0.0.1 }\n"
                + "routes:\n  - path: /\n    upstreams: [ { url: 'http://127.0.0.1:" + connector.getLocalPort() + "' } ]\n");
        Process gateway = java("--config", config.toString(), "--port", "0").start();
        try {
            URI base = listeningOn(gateway);
            CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(base.resolve("/work")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(arrived.await(10, TimeUnit.SECONDS)).as("the request reached the upstream").isTrue();

            gateway.destroy(); // SIGTERM
            ClosedPort.awaitRefusing(base.getPort(), Duration.ofSeconds(10));
            release.countDown();

            HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("finished");
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(gateway.exitValue()).as("a drained stop is a clean exit").isZero();
        } finally {
            release.countDown();
            gateway.destroyForcibly();
            upstream.stop();
        }
    }

    private static URI listeningOn(Process gateway) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            seen.append(line).append('\n');
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return URI.create(matcher.group(1));
            }
        }
        throw new AssertionError("no listening line in:\n" + seen);
    }
}
