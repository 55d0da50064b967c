package io.gatewise.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.demo.EchoUpstream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        assertThat(output).contains(config + ":3:5: routes[0].upstream: unknown key (expected one of: allowTrace, circuitBreaker, ejection, errorPageTemplates, healthCheck, interceptStatuses, limits, loadBalancing, maintenance, path, retries,"
                + " stripPrefix, timeouts, tls, upstreams)");
    }
}
