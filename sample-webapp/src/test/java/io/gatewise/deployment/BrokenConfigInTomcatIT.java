package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built WAR with a rejected config in Tomcat: the reason is logged at SEVERE, where
 * {@code catalina.out} takes it, and the web application does not start, so nothing is served.
 */
class BrokenConfigInTomcatIT {
    @TempDir
    Path dir;

    private final LogCapture startup = LogCapture.of("io.gatewise.proxy.GatewayStartup");
    private AutoCloseable running;

    @AfterEach
    void stop() throws Exception {
        startup.close();
        System.clearProperty("gatewise.config");
        if (running != null) {
            running.close();
        }
    }

    @Test
    void aRejectedConfigIsLoggedAtSevereAndTheWebApplicationDoesNotStart() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "routes:\n  - path: /api/\n    upstreams: []\n");
        System.setProperty("gatewise.config", bad.toString());

        Containers.Running tomcat = Containers.tomcat(dir.resolve("tomcat"), "/gw",
                Path.of(FailurePagesEverywhereIT.war()));
        running = tomcat;
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tomcat.port() + "/gw/api/x")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as("no gateway serves").isEqualTo(404);
        assertThat(startup.records()).anySatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getMessage()).contains(bad + ":3:").contains("routes[0].upstreams");
        });
    }
}
